from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HousingStockConfig(AppConfig):
    name = "housing_stock"
    verbose_name = _("Woningvoorraad")
