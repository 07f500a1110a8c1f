from django.db import migrations

ROLES = [
    "coordinator",
    "partner",
    "reviewer",
    "state_representative",
    "ministry_officer",
    "ministry_signatory",
    "administrator",
]

PROVINCES = [
    ("GR", "Groningen"),
    ("FR", "Fryslân"),
    ("DR", "Drenthe"),
    ("OV", "Overijssel"),
    ("FL", "Flevoland"),
    ("GE", "Gelderland"),
    ("UT", "Utrecht"),
    ("NH", "Noord-Holland"),
    ("ZH", "Zuid-Holland"),
    ("ZE", "Zeeland"),
    ("NB", "Noord-Brabant"),
    ("LI", "Limburg"),
    ("CN", "Caribisch Nederland"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Province = apps.get_model("accounts", "Province")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    for code, name in PROVINCES:
        Province.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
