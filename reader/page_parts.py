"""HTML rendered once and reused: for parts of a page that say the same to every reader they are shown to."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language


class RenderedOnce:
    """HTML rendered once per key and kept, for a part of a page (a blank form's fields, a menu) that
    depends on nothing but its key.

    The key must hold everything the HTML depends on; the addresses in it and the language are added
    here. At most `size` keys are kept; past that the memo starts again. With DEBUG nothing is kept,
    so a template edited while the server runs shows at once.
    """

    def __init__(self, size=512):
        self.size = size
        self._html = {}

    def __call__(self, key, render):
        """The HTML for `key`, from `render()` the first time."""
        if settings.DEBUG:
            return render()
        key = (key, get_script_prefix(), get_urlconf(), get_language())
        if (html := self._html.get(key)) is None:
            if len(self._html) >= self.size:
                self._html.clear()
            html = self._html[key] = render()
        return html

    def __len__(self):
        return len(self._html)

    def clear(self):
        self._html.clear()
