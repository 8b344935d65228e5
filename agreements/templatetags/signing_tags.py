"""Template tags other pages include: the signing status of a document, an agreement's addenda.

{% load signing_tags %}
{% signing_status framework %}         (framework page: link to its signing page)
{% agreement_addenda agreement %}      (agreement page: "Gewijzigd bij addendum ...")
"""

from django import template

from agreements.models import Addendum, SigningRequest
from agreements.signing.registry import adapter_for

register = template.Library()


@register.inclusion_tag("agreements/signing/_status.html")
def signing_status(obj):
    signable = adapter_for(obj)
    current = (
        SigningRequest.objects.filter(document_type=signable.key, object_id=signable.pk)
        .order_by("-round")
        .first()
    )
    return {"key": signable.key, "pk": signable.pk, "current": current}


@register.inclusion_tag("agreements/addenda/_agreement_addenda.html")
def agreement_addenda(agreement):
    addenda = (
        Addendum.objects.filter(status=Addendum.Status.ACCEPTED, changes__agreement=agreement)
        .select_related("framework")
        .distinct()
        .order_by("number")
    )
    return {"addenda": list(addenda)}
