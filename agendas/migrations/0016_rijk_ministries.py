"""The reference list of ministries (cabinet 2024). Only BZK's TOOI identifier is filled in (the one the Woo
metadata already uses); administrators add the others from the TOOI "ministerielijst" in the admin."""

from django.db import migrations

TOOI = "https://identifier.overheid.nl/tooi/id/ministerie/"

MINISTRIES = [
    # code, abbreviation, name, English name, TOOI code
    ("az", "AZ", "Ministerie van Algemene Zaken", "Ministry of General Affairs", ""),
    ("bzk", "BZK", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
     "Ministry of the Interior and Kingdom Relations", "mnre1034"),
    ("bz", "BZ", "Ministerie van Buitenlandse Zaken", "Ministry of Foreign Affairs", ""),
    ("def", "Defensie", "Ministerie van Defensie", "Ministry of Defence", ""),
    ("ez", "EZ", "Ministerie van Economische Zaken", "Ministry of Economic Affairs", ""),
    ("fin", "Financiën", "Ministerie van Financiën", "Ministry of Finance", ""),
    ("ienw", "IenW", "Ministerie van Infrastructuur en Waterstaat", "Ministry of Infrastructure and Water Management", ""),
    ("jenv", "JenV", "Ministerie van Justitie en Veiligheid", "Ministry of Justice and Security", ""),
    ("kgg", "KGG", "Ministerie van Klimaat en Groene Groei", "Ministry of Climate and Green Growth", ""),
    ("lvvn", "LVVN", "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur",
     "Ministry of Agriculture, Fisheries, Food Security and Nature", ""),
    ("ocw", "OCW", "Ministerie van Onderwijs, Cultuur en Wetenschap", "Ministry of Education, Culture and Science", ""),
    ("szw", "SZW", "Ministerie van Sociale Zaken en Werkgelegenheid", "Ministry of Social Affairs and Employment", ""),
    ("vro", "VRO", "Ministerie van Volkshuisvesting en Ruimtelijke Ordening",
     "Ministry of Housing and Spatial Planning", ""),
    ("vws", "VWS", "Ministerie van Volksgezondheid, Welzijn en Sport", "Ministry of Health, Welfare and Sport", ""),
]


def forwards(apps, schema_editor):
    Ministry = apps.get_model("agendas", "Ministry")
    for order, (code, abbreviation, name, name_en, tooi) in enumerate(MINISTRIES, start=1):
        Ministry.objects.update_or_create(
            code=code,
            defaults={
                "abbreviation": abbreviation,
                "name": name,
                "name_en": name_en,
                "order": order,
                "tooi_identifier": TOOI + tooi if tooi else "",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("agendas", "0015_rijk_commitments")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
