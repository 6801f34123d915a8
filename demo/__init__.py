"""Demo data: the three reference organisations, loaded idempotently by `manage.py load_demo`.

It uses every app, so it stands above them all, and no app imports it. Each section (organisations,
oversight, assessments, oit, measures, memos, twofactor) loads its part from its YAML file beside it,
and `demo.loader.load()` runs them in order: twice leaves the database as after one run. The scale
data of load tests (`manage.py generate_scale_data`) is `demo.scale`.
"""
