"""Frameworks edited in the portal: draft or published, provisional sources, the crosswalk between years."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_alter_analysisissue_title'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='framework',
            options={'ordering': ['-fiscal_year'], 'permissions': [('edit_framework', 'Can edit and publish the ITA frameworks of the fiscal years')], 'verbose_name': 'framework', 'verbose_name_plural': 'frameworks'},
        ),
        migrations.AddField(
            model_name='framework',
            name='provisional_source',
            field=models.TextField(blank=True, help_text='Where the data comes from and what would confirm it', verbose_name='why provisional'),
        ),
        migrations.AddField(
            model_name='framework',
            name='published_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='published at'),
        ),
        migrations.AddField(
            model_name='framework',
            name='published_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='published by'),
        ),
        # The years loaded before the editor existed are in use: they arrive published. A new one is a draft.
        migrations.AddField(
            model_name='framework',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='published', max_length=10, verbose_name='state'),
        ),
        migrations.AlterField(
            model_name='framework',
            name='state',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', max_length=10, verbose_name='state'),
        ),
        migrations.AddField(
            model_name='item',
            name='provisional_source',
            field=models.TextField(blank=True, verbose_name='why provisional'),
        ),
        migrations.AddField(
            model_name='levelrule',
            name='provisional_source',
            field=models.TextField(blank=True, verbose_name='why provisional'),
        ),
        migrations.AlterField(
            model_name='framework',
            name='loaded_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated at'),
        ),
        migrations.CreateModel(
            name='ItemSuccession',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('decided_at', models.DateTimeField(auto_now=True, verbose_name='decided at')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by')),
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='succession', to='assessments.item', verbose_name='item')),
                ('successor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='predecessions', to='assessments.item', verbose_name='successor in the next fiscal year')),
            ],
            options={
                'verbose_name': 'crosswalk line',
                'verbose_name_plural': 'crosswalk lines',
                'constraints': [models.CheckConstraint(condition=models.Q(('successor', models.F('item')), _negated=True), name='succession_not_itself')],
            },
        ),
    ]
