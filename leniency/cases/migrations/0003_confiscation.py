"""没收财产 (刑法第五十九条) on a recommendation and on the court outcome; existing rows have none ("")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_approval"),
    ]

    operations = [
        migrations.AddField(
            model_name="courtoutcome",
            name="confiscation",
            field=models.CharField(
                blank=True,
                choices=[("all", "没收个人全部财产"), ("part", "没收个人部分财产")],
                default="",
                max_length=4,
                verbose_name="没收财产",
            ),
        ),
        migrations.AddField(
            model_name="sentencingrecommendation",
            name="confiscation",
            field=models.CharField(
                blank=True,
                choices=[("all", "没收个人全部财产"), ("part", "没收个人部分财产")],
                default="",
                max_length=4,
                verbose_name="没收财产",
            ),
        ),
    ]
