import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ridbook.settings")
application = get_wsgi_application()

# Load every view now (the URLconf imports them), then put everything loaded so far — it lives as long as the worker —
# out of the garbage collector's sight: a full collection, which some request triggers every so often, then walks only
# what the requests allocate (a few milliseconds instead of ~90 ms at a large list's page; bench/README.md).
_views = get_resolver().url_patterns
gc.freeze()
