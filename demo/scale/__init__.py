"""Scale data for load tests and the provincial roll-up (`manage.py generate_scale_data`).

Thousands of organisations across Thailand's provinces, each with the history the portal would hold
after some fiscal years of use: people and an approval chain, the NACC's scores and their analysis,
measures with steps, two reporting rounds with progress, the OIT checklist, memos in every state with
their decisions and trail, and the frozen versions and approved documents of the approved ones.

Speed: an organisation's whole history is built in memory without a query (primary keys are taken
from the tables' sequences in blocks, so rows can point at each other before any is written), then
a batch of organisations is written table after table in one transaction: COPY on PostgreSQL,
bulk_create elsewhere. No service is called per row, so what the services would check is true by
construction, and the tests hold the result against the portal's own code: the scoreboard gives the
stored level, the composer writes the same memo texts, the consistency check finds nothing in them,
and the real snapshot and hash functions, run on the generated records, give exactly the frozen
contents and hashes built here. Several processes (`jobs`) can build and write side by side.

Years: the most recent `years` fiscal years that have a framework. Each is an assessment year F: the
scores of F with their analysis, and the cycle they drive in F+1 (measures answering the analysis,
the rounds and their progress, the analysis memo and the progress memos), as an analysis memo of Y
reports on the assessment of Y-1 (reports.services.composing). Memos are timed by the calendar of their year
and cut at "now": the newest round holds memos waiting (some for more than 14 days), returned,
drafts, cancelled and missing, in a fixed cycle over the organisations, so that any ten consecutive
organisations show every state.

PDFs: one real PDF per document kind is rendered, through the worker's own function, from the first
approved document of that kind; every other approved document of the kind shares that stored file
(same name, same SHA-256, same page count). Each document keeps its own verification code, so
/v/<code>/ names its own organisation; a lookup by SHA-256, which no longer identifies one document,
names the first holder of the shared file, and the QR code printed in the shared file is the first
holder's. Rendering one PDF per approved document would take days at this scale.

The sections, each a module, from the ground up: `words` (the texts and weights), `places` (years,
frameworks, provinces), `world` (what one office's history is made of in memory), `people`,
`assessments`, `measures` (plan, progress, OIT), `documents` (their contents, through
reports.snapshots), `memos` (texts, steps, decisions, frozen versions), `writing` (COPY or
bulk_create) and `run` (`generate`, batches, processes).
"""
