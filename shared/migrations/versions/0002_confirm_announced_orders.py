"""confirm orders whose deadline was already announced

Orders used to show as confirmed by looking up deadline_announcements; the deadline check now
writes the status when it records the deadline. Rows recorded before that are confirmed here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """
        update orders set status = 'confirmed'
        where status = 'pending'
          and exists (
            select 1 from deadline_announcements a
            where a.cafe_id = orders.cafe_id and a.order_date = orders.order_date
          )
        """
    )


def downgrade() -> None:
    # Nothing to undo: before this revision such orders were shown as confirmed anyway.
    pass
