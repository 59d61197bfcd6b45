from django.urls import path

from review import views

urlpatterns = [
    path("review/", views.review_page, name="review"),
    path("review/<uuid:pk>/answer", views.answer, name="review-answer"),
    path("review/<uuid:pk>/leave-out", views.leave_out, name="review-leave-out"),
]
