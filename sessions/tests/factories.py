import factory

from sessions.models import Session


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    status = Session.Status.ENRICHING
    upload_metadata = factory.LazyFunction(lambda: {"files": []})
