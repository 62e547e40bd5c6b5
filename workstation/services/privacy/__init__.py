"""Data protection: the retention table (Löschfristen) and the job step that enforces it.

`retention.run()` erases or anonymises personal data whose purpose has ended, in bounded batches, and
records each run (`RetentionRun`); `retention_table.retention_table()` is the table the admin page and
docs/data-protection.md show; `retention.recent_runs()` the last runs. Imports no other service
package: it works on the tables directly and leaves every column the daily figures read untouched.
"""
