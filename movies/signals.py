from django.dispatch import Signal

# Sent inside the transaction that deletes sessions (an owner's delete, the hourly cleanup), before
# their movies go. The deletes are plain SQL, not the ORM's cascade, so an app whose rows point at
# those movies deletes its own here. Arguments: session_ids.
sessions_deleting = Signal()
