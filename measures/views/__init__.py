"""Pages of the measures app, by area: plan, progress, evidence, OIT checklist, dashboards, Excel."""
