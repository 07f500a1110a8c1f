"""Reference data of the Monitor Brede Welvaart: the country, the 40 COROP areas and the shipped indicators."""

from django.db import migrations

from agendas.welfare.reference import COROP_AREAS, INDICATORS, NATIONAL_CODE


def forwards(apps, schema_editor):
    Area = apps.get_model("agendas", "MonitorArea")
    Indicator = apps.get_model("agendas", "MonitorIndicator")
    Dimension = apps.get_model("agendas", "BroadWelfareDimension")
    Area.objects.update_or_create(code=NATIONAL_CODE, defaults={"kind": "NL", "name": "Nederland"})
    for code, name, _position in COROP_AREAS:
        Area.objects.update_or_create(code=code, defaults={"kind": "CR", "name": name})
    dimensions = {d.code: d for d in Dimension.objects.all()}
    for order, (code, name, name_en, dimension, unit, higher) in enumerate(INDICATORS):
        if dimension not in dimensions:
            continue
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "dimension": dimensions[dimension],
                "unit": unit,
                "higher_is_better": higher,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("agendas", "0009_bw16_welfare_monitor")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
