"""Database access: one async engine per process, one session and one transaction per request.

`TxRoute` owns the request's transaction: the endpoint and the services it calls only flush;
the route commits once (business rows, outbox rows and the idempotency record together) and only
when the response is a success, after settling what follows from the change (`kernel.reactions`).
Anything else rolls back, so a client never sees a half-write.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Annotated, Any, get_origin

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import event, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from kernel.errors import FieldError, Problem, problem_response
from kernel.reactions import Reactions, attach, settle
from kernel.settings import Settings, async_url


class Database:
    """A service's engine, bound to its own login role and schema."""

    def __init__(self, dsn: str, schema: str, settings: Settings, app_name: str) -> None:
        self.schema = schema
        self.dsn = dsn
        self.engine: AsyncEngine = create_async_engine(
            async_url(dsn),
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=settings.db_pool_timeout,
            # No `pool_pre_ping`: with asyncpg it costs three round trips (BEGIN, ping,
            # ROLLBACK) per checkout. `_drop_closed_connections` checks locally instead.
            pool_recycle=settings.db_pool_recycle,
            # Last in, first out: the few connections steady load needs stay hot (their
            # prepared statements planned) and the rest idle, instead of every pooled
            # connection taking turns.
            pool_use_lifo=True,
            connect_args={
                "server_settings": {
                    "search_path": f"{schema},public",
                    "application_name": app_name,
                    "timezone": "UTC",
                }
            },
        )
        event.listen(self.engine.sync_engine.pool, "checkout", _drop_closed_connections)
        self._maker = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        self._bound: AsyncConnection | None = None

    def bind(self, connection: AsyncConnection | None) -> None:
        """Tests: run every session inside `connection`'s open transaction (savepoints)."""
        self._bound = connection
        if connection is None:
            self._maker = async_sessionmaker(
                self.engine, class_=AsyncSession, expire_on_commit=False
            )
        else:
            self._maker = async_sessionmaker(
                bind=connection, class_=AsyncSession, expire_on_commit=False,
                join_transaction_mode="create_savepoint",
            )

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self._maker() as session:
            yield session

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[AsyncConnection]:
        """A connection in a read-only transaction of its own, for work that outlives the
        request's session (a streamed export). Tests: the bound connection, so the export sees
        the test's uncommitted rows."""
        if self._bound is not None:
            yield self._bound
            return
        async with self.engine.connect() as conn:
            await conn.execute(text("SET TRANSACTION READ ONLY"))
            try:
                yield conn
            finally:
                await conn.rollback()

    async def dispose(self) -> None:
        await self.engine.dispose()


def _drop_closed_connections(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """Pool checkout: a connection the server has closed (restart, idle timeout, terminated
    backend) is replaced before use. asyncpg notices the server's goodbye on the socket, so the
    check is local; `DisconnectionError` makes the pool discard it and check out another."""
    if dbapi_connection._connection.is_closed():
        raise DisconnectionError("connection closed by the server")


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_session(request: Request) -> AsyncSession:
    # async on purpose: FastAPI runs a plain `def` dependency in a worker thread.
    session: AsyncSession | None = getattr(request.state, "session", None)
    if session is None:
        raise RuntimeError("route is not a TxRoute: no request session")
    return session


SessionDep = Annotated[AsyncSession, Depends(get_session)]

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class TxRoute(APIRoute):
    """Route class that wraps the endpoint in one transaction and honours `Idempotency-Key`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()
        single = _single_valued_query_params(self)

        async def handler(request: Request) -> Response:
            from kernel import idempotency  # local: idempotency imports auth, which imports db

            repeated = [n for n in single if len(request.query_params.getlist(n)) > 1]
            if repeated:
                return problem_response(
                    request, 422, "validation", "Invalid input",
                    f"{repeated[0]}: given more than once",
                    [FieldError(field=n, message="given more than once") for n in repeated])
            db = get_db(request)
            async with db.session() as session:
                request.state.session = session
                reactions: Reactions | None = getattr(request.app.state, "reactions", None)
                if reactions is not None:
                    attach(session, reactions)
                key = request.headers.get("idempotency-key")
                idem: idempotency.Claim | Response | None = None
                if key and request.method in MUTATING:
                    body = await request.body()
                    fingerprint = idempotency.fingerprint(
                        request.method, request.url.path, str(request.url.query), body)
                    idem = await idempotency.claim(session, request, key, fingerprint)
                    if isinstance(idem, Response):
                        await session.rollback()
                        return idem
                try:
                    response = await original(request)
                    if response.status_code < 400:
                        await settle(session)  # what follows from the change, before commit
                except Problem as exc:
                    await (session.commit() if exc.commit else session.rollback())
                    raise
                except BaseException:
                    await session.rollback()
                    raise
                if response.status_code < 400:
                    if isinstance(idem, idempotency.Claim):
                        await idempotency.remember(session, idem, response)
                    await session.commit()
                else:
                    await session.rollback()
                return response

        return handler


def _single_valued_query_params(route: APIRoute) -> list[str]:
    """Query parameters that take one value: a repeat is ambiguous and refused, not guessed."""
    names = []
    stack, params = [route.dependant], []
    while stack:
        dependant = stack.pop()
        params.extend(dependant.query_params)
        stack.extend(dependant.dependencies)
    for param in params:
        annotation = param.field_info.annotation
        if get_origin(annotation) in (list, tuple, set, frozenset) or annotation in (
            list, tuple, set, frozenset
        ):
            continue
        names.append(param.alias)
    return names


async def set_local(session: AsyncSession, name: str, value: str) -> None:
    await session.execute(text("SELECT set_config(:n, :v, true)"), {"n": name, "v": value})
