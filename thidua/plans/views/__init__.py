"""Pages of plans: the task list and a task's status (`tasks`), indicator actuals
(`actuals`).

Thin: lists start from the selectors (which start from `thidua.accounts.scope`); changes
go through the verbs of `services`, which check the change right. A row outside the scope
answers 404; one the user sees but may not change answers 403, and its page shows no
control.
"""

from thidua.plans.views.actuals import actuals
from thidua.plans.views.tasks import change_status, task_list

__all__ = ["actuals", "change_status", "task_list"]
