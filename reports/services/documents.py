"""Documents: queue a render after commit, and say honestly when no worker can take it."""

import logging

from kombu.exceptions import OperationalError

from ..models import Document

logger = logging.getLogger(__name__)


def queue_render(document_id: int) -> bool:
    """Send the render task; with the broker down the document stays queued and the page says so."""
    from ..tasks import render_document

    try:
        render_document.delay(document_id)
    except OperationalError:
        logger.warning("broker unreachable: document %s stays queued", document_id)
        return False
    return True


def document_of(organisation, pk: int) -> Document | None:
    return Document.objects.filter(organisation=organisation, pk=pk).select_related("version__memo").first()
