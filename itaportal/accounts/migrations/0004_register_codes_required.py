"""Once loaded, every province and district has its DOPA code, and one code names one place."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_load_register")]

    operations = [
        migrations.AlterField(
            model_name="province",
            name="code",
            field=models.CharField(
                help_text="Two digits, for example 56", max_length=2, unique=True, verbose_name="DOPA code"
            ),
        ),
        migrations.AlterField(
            model_name="district",
            name="code",
            field=models.CharField(
                help_text="Four digits, for example 5608", max_length=4, unique=True, verbose_name="DOPA code"
            ),
        ),
    ]
