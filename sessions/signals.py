from django.dispatch import Signal

# Sent inside the upload's transaction once a session and its movies are stored
# and the session is "enriching". Receivers (the enrichment app) schedule their
# work with transaction.on_commit. Arguments: session_id.
session_ready_for_enrichment = Signal()
