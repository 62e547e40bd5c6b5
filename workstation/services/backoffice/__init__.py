"""The afternoon task list (Nacharbeit): tasks, their history, the CSV import and attachments.

Offers: `task_model` (the rows the screens show, access rules, `TaskError`, `TaskFilter`),
`tasks` (create, claim, hand over, assign, status, outcome, notes), `task_queries` (list, detail,
counts for the board), `csv_import` (requests from police and other authorities), `attachments`
(files of a task, outside the web app's folders) and `labels` (German names of types and statuses).
"""
