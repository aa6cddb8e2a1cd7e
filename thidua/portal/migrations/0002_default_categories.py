"""The portal's first sections, named as the provincial portals name theirs."""

from django.db import migrations

CATEGORIES = [
    ("kinh-te-chinh-tri", "Tin tức - Sự kiện / Kinh tế - Chính trị", 1),
    ("van-hoa-xa-hoi", "Văn hóa - Xã hội", 2),
    ("thi-dua-khen-thuong", "Thi đua - Khen thưởng", 3),
]


def create(apps, schema_editor):
    Category = apps.get_model("portal", "Category")
    for slug, name, position in CATEGORIES:
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
