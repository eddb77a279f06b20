# The date the archive knows and its precision (issue 14): every dated cable is known
# to the minute; an undated cable whose id the Cablegate list holds is dated to its
# month (cables.dates.cable_date_decide) and goes back to the search index. A
# paragraph may be a section heading.

from datetime import UTC, datetime

from django.db import migrations, models


def dates_decide(apps, schema_editor):
    Cable = apps.get_model("cables", "Cable")
    KnownCable = apps.get_model("cables", "KnownCable")
    Cable.objects.filter(created__isnull=False).update(date_precision="minute")
    undated = dict(Cable.objects.filter(created__isnull=True).values_list("reference_id", "pk"))
    ids = list(undated)
    for start in range(0, len(ids), 1000):
        for rid, year, month in KnownCable.objects.filter(
            reference_id__in=ids[start : start + 1000]
        ).values_list("reference_id", "year", "month"):
            if 1 <= month <= 12:
                Cable.objects.filter(pk=undated[rid]).update(
                    created=datetime(year, month, 1, tzinfo=UTC),
                    date_precision="month",
                    index_pending=True,
                )


class Migration(migrations.Migration):
    dependencies = [
        ("cables", "0003_archive_generation"),
    ]

    operations = [
        migrations.AddField(
            model_name="cable",
            name="date_precision",
            field=models.CharField(
                blank=True,
                choices=[("minute", "To the minute"), ("month", "Month only")],
                help_text="How precisely created is known; empty when it is not",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="paragraph",
            name="heading",
            field=models.BooleanField(
                default=False, help_text="A section heading line, not a paragraph of text"
            ),
        ),
        migrations.RunPython(dates_decide, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="cable",
            options={
                "ordering": [
                    models.OrderBy(models.F("created"), descending=True, nulls_last=True),
                    "reference_id",
                ]
            },
        ),
    ]
