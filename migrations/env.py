"""Alembic environment for the tdkt decision store.

Targets :data:`criteria_engine.store._models.Base.metadata`. ``tdkt db …`` passes
its own connection in ``config.attributes["connection"]`` (so the migration runs
inside the store's locked transaction); a developer running ``alembic`` from the
repository root gets the database named by ``TDKT_DATABASE_URL`` or ``alembic.ini``.
"""

from __future__ import annotations

import os
from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from criteria_engine.store._connect import connect_engine, database_url
from criteria_engine.store._models import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    url = os.environ.get("TDKT_DATABASE_URL") or config.get_main_option("sqlalchemy.url")
    engine = connect_engine(database_url(url))
    try:
        with engine.connect() as connection:
            _configure(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
