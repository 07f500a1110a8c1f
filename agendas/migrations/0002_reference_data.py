from django.db import migrations

DIMENSIONS = [
    # code, name, name_en, perspective
    ("subjectief-welzijn", "Subjectief welzijn", "Subjective well-being", "here_now"),
    ("materiele-welvaart", "Materiële welvaart", "Material prosperity", "here_now"),
    ("gezondheid", "Gezondheid", "Health", "here_now"),
    ("arbeid-en-vrije-tijd", "Arbeid en vrije tijd", "Work and leisure", "here_now"),
    ("wonen", "Wonen", "Housing", "here_now"),
    ("samenleving", "Samenleving", "Society", "here_now"),
    ("veiligheid", "Veiligheid", "Safety", "here_now"),
    ("milieu", "Milieu", "Environment", "here_now"),
    ("economisch-kapitaal", "Economisch kapitaal", "Economic capital", "later"),
    ("natuurlijk-kapitaal", "Natuurlijk kapitaal", "Natural capital", "later"),
    ("menselijk-kapitaal", "Menselijk kapitaal", "Human capital", "later"),
    ("sociaal-kapitaal", "Sociaal kapitaal", "Social capital", "later"),
    ("elders", "Effecten elders (andere regio's en landen)", "Effects elsewhere", "elsewhere"),
]

THEMES = [
    # code, name, name_en, mapped dimensions (explicit mapping agenda theme -> monitor dimensions)
    ("zorg", "Zorg", "Care", ["gezondheid", "subjectief-welzijn", "menselijk-kapitaal"]),
    (
        "onderwijs-arbeidsmarkt",
        "Onderwijs en arbeidsmarkt",
        "Education and labour market",
        ["arbeid-en-vrije-tijd", "materiele-welvaart", "menselijk-kapitaal"],
    ),
    ("huisvesting", "Huisvesting", "Housing", ["wonen", "economisch-kapitaal"]),
    ("veiligheid", "Veiligheid", "Safety", ["veiligheid", "sociaal-kapitaal"]),
    (
        "bereikbaarheid-voorzieningen",
        "Bereikbaarheid van voorzieningen",
        "Access to services",
        ["samenleving", "subjectief-welzijn", "sociaal-kapitaal"],
    ),
    (
        "regionale-economie",
        "Regionale economie",
        "Regional economy",
        ["materiele-welvaart", "economisch-kapitaal", "natuurlijk-kapitaal", "milieu"],
    ),
]

SOURCES = [
    ("rijk-extra", "Rijk – gevraagde extra bijdrage", "Rijk – extra contribution requested", "rijk_extra"),
    ("rijk-regulier", "Rijk – reguliere programma's", "Rijk – regular programmes", "rijk_regular"),
    ("provincie", "Provincie", "Province", "regional"),
    ("gemeenten", "Gemeenten", "Municipalities", "regional"),
    ("waterschap", "Waterschap", "Water board", "regional"),
    ("eu", "EU-fondsen", "EU funds", "other"),
    ("privaat", "Private middelen", "Private funding", "other"),
    ("in-natura", "In natura", "In kind", "other"),
    ("overig", "Overig", "Other", "other"),
]

PROGRAMMES = [
    ("regio-deal", "Regio Deal", "Regio Deal"),
    ("regios-aan-de-grens", "Regio's aan de Grens", "Regions at the Border"),
    ("nplv", "Nationaal Programma Landelijk Gebied en Vitaliteit (NPLV)", "NPLV"),
    ("nplg", "Nationaal Programma Landelijk Gebied (NPLG)", "NPLG"),
    ("novex", "NOVEX", "NOVEX"),
    ("woondeal", "Woondeal", "Housing deal"),
    ("iza", "Integraal Zorgakkoord (IZA)", "Integrated Care Agreement (IZA)"),
    ("efro-interreg", "EFRO / Interreg", "ERDF / Interreg"),
    ("overig", "Overig", "Other"),
]


def forwards(apps, schema_editor):
    Dimension = apps.get_model("agendas", "BroadWelfareDimension")
    Theme = apps.get_model("agendas", "Theme")
    Source = apps.get_model("agendas", "FundingSource")
    Programme = apps.get_model("agendas", "NationalProgramme")
    dims = {}
    for order, (code, name, name_en, perspective) in enumerate(DIMENSIONS):
        dims[code], _ = Dimension.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "perspective": perspective, "order": order}
        )
    for order, (code, name, name_en, mapped) in enumerate(THEMES):
        theme, _ = Theme.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
        theme.dimensions.set([dims[c] for c in mapped])
    for order, (code, name, name_en, category) in enumerate(SOURCES):
        Source.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "category": category, "order": order}
        )
    for order, (code, name, name_en) in enumerate(PROGRAMMES):
        Programme.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})


class Migration(migrations.Migration):
    dependencies = [("agendas", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
