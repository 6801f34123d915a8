"""The register's columns: codes (empty until 0003 loads the register, required from 0004), English
names, the kind of district, department abbreviations, the new organisation kinds, and the unique keys
that the consistency keys of 0005 point at."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='department',
            name='abbreviation',
            field=models.CharField(blank=True, help_text='For example กองการศึกษาฯ', max_length=50, verbose_name='abbreviation'),
        ),
        migrations.AddField(
            model_name='district',
            name='code',
            field=models.CharField(help_text='Four digits, for example 5608', max_length=4, null=True, verbose_name='DOPA code'),
        ),
        migrations.AddField(
            model_name='district',
            name='kind',
            field=models.CharField(choices=[('amphoe', 'District (amphoe)'), ('khet', 'District of Bangkok (khet)')], default='amphoe', max_length=10, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='district',
            name='name_en',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in English'),
        ),
        migrations.AddField(
            model_name='province',
            name='code',
            field=models.CharField(help_text='Two digits, for example 56', max_length=2, null=True, verbose_name='DOPA code'),
        ),
        migrations.AddField(
            model_name='province',
            name='name_en',
            field=models.CharField(blank=True, max_length=100, verbose_name='name in English'),
        ),
        migrations.AlterField(
            model_name='district',
            name='name',
            field=models.CharField(help_text='Without อำเภอ or เขต, for example ภูซาง', max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='kind',
            field=models.CharField(choices=[('sao', 'Subdistrict Administrative Organisation'), ('tambon_municipality', 'Subdistrict Municipality'), ('town_municipality', 'Town Municipality'), ('city_municipality', 'City Municipality'), ('pao', 'Provincial Administrative Organisation'), ('bangkok', 'Bangkok Metropolitan Administration'), ('pattaya', 'Pattaya City')], default='sao', max_length=30, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='organisation',
            name='province',
            field=models.ForeignKey(blank=True, help_text='Follows from the district; choose it only for an office without a district', on_delete=django.db.models.deletion.PROTECT, related_name='organisations', to='accounts.province', verbose_name='province'),
        ),
        migrations.AlterField(
            model_name='province',
            name='abbreviation',
            field=models.CharField(blank=True, help_text='The letters of document codes, for example พย', max_length=10, verbose_name='abbreviation'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.UniqueConstraint(condition=models.Q(('abbreviation', ''), _negated=True), fields=('organisation', 'abbreviation'), name='department_abbreviation_unique_in_organisation', violation_error_message='Another department of this organisation has this abbreviation.'),
        ),
        migrations.AddConstraint(
            model_name='department',
            constraint=models.UniqueConstraint(fields=('id', 'organisation'), name='department_id_organisation'),
        ),
        migrations.AddConstraint(
            model_name='district',
            constraint=models.UniqueConstraint(fields=('id', 'province'), name='district_id_province'),
        ),
        migrations.AddConstraint(
            model_name='position',
            constraint=models.UniqueConstraint(fields=('id', 'organisation'), name='position_id_organisation'),
        ),
    ]
