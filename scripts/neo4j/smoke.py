"""Smoke test of the local Neo4j server (bash scripts/neo4j.sh start) with the official driver.

    .venv/bin/python scripts/neo4j/smoke.py

Uses NEO4J_BOLT_PORT / NEO4J_PASSWORD like scripts/neo4j.sh. Works on the label
`CikgSmoke` and the user `cikg_smoke_user` only, and removes them at the end.
Prints one line per check and `N passed, N failed`; exits non-zero on a failure.
"""

from __future__ import annotations

import os
import sys

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError

URI = f"bolt://127.0.0.1:{os.environ.get('NEO4J_BOLT_PORT', '7687')}"
AUTH = ("neo4j", os.environ.get("NEO4J_PASSWORD", "cikg-password"))
LABEL = "CikgSmoke"
results: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    results.append((name, ok, detail))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}")


def main() -> int:
    with GraphDatabase.driver(URI, auth=AUTH) as driver:
        driver.verify_connectivity()
        info = driver.get_server_info()
        check("connect + basic auth", True, f"{info.agent} at {info.address}")

        with driver.session(database="neo4j") as s:
            s.run(f"MATCH (n:{LABEL}) DETACH DELETE n").consume()
            s.run(f"CREATE CONSTRAINT cikg_smoke_id IF NOT EXISTS FOR (n:{LABEL}) REQUIRE n.id IS UNIQUE").consume()
            s.run(
                f"CREATE CONSTRAINT cikg_smoke_id IF NOT EXISTS FOR (n:{LABEL}) REQUIRE n.id IS UNIQUE"
            ).consume()  # idempotent
            s.run(f"CREATE INDEX cikg_smoke_name IF NOT EXISTS FOR (n:{LABEL}) ON (n.name)").consume()
            s.run("CALL db.awaitIndexes(60)").consume()
            names = {r["name"] for r in s.run("SHOW CONSTRAINTS")}
            check("CREATE CONSTRAINT ... IF NOT EXISTS / SHOW CONSTRAINTS", "cikg_smoke_id" in names)
            idx = {r["name"]: r["state"] for r in s.run("SHOW INDEXES")}
            check(
                "CREATE INDEX / SHOW INDEXES", idx.get("cikg_smoke_name") == "ONLINE", str(idx.get("cikg_smoke_name"))
            )

            s.run(
                f"UNWIND range(1, 100) AS i MERGE (n:{LABEL} {{id: i}}) SET n.name = 'n' + i "
                f"WITH n WHERE n.id > 1 MATCH (m:{LABEL} {{id: n.id - 1}}) MERGE (m)-[:NEXT]->(n)"
            ).consume()
            s.run(f"UNWIND range(1, 100) AS i MERGE (n:{LABEL} {{id: i}})").consume()  # MERGE is idempotent
            c = s.run(f"MATCH (n:{LABEL}) RETURN count(n) AS c").single()["c"]
            r = s.run(f"MATCH (:{LABEL})-[e:NEXT]->(:{LABEL}) RETURN count(e) AS c").single()["c"]
            check("UNWIND + MERGE + MATCH", (c, r) == (100, 99), f"{c} nodes, {r} relationships")

            try:
                s.run(f"CREATE (:{LABEL} {{id: 1}})").consume()
                check("uniqueness constraint enforced", False)
            except ClientError as e:
                check("uniqueness constraint enforced", "ConstraintValidationFailed" in (e.code or ""), e.code or "")

            tx = s.begin_transaction()
            tx.run(f"CREATE (:{LABEL} {{id: 1000}})").consume()
            tx.rollback()
            c = s.run(f"MATCH (n:{LABEL} {{id: 1000}}) RETURN count(n) AS c").single()["c"]
            check("explicit transaction rollback", c == 0)

        with driver.session(database="system") as s:
            dbs = sorted((r["name"], r["currentStatus"]) for r in s.run("SHOW DATABASES"))
            check(
                "SHOW DATABASES (Community: neo4j + system)",
                dbs == [("neo4j", "online"), ("system", "online")],
                str(dbs),
            )

            s.run(
                "CREATE USER cikg_smoke_user IF NOT EXISTS SET PASSWORD 'smoke-pass-123' CHANGE NOT REQUIRED"
            ).consume()
            users = {r["user"] for r in s.run("SHOW USERS")}
            check("CREATE USER (Community: allowed, no roles)", "cikg_smoke_user" in users)
            try:
                s.run("GRANT ROLE reader TO cikg_smoke_user").consume()
                check("role management absent in Community", False, "GRANT ROLE worked?")
            except ClientError as e:
                check("role management absent in Community", "Unsupported" in (e.code or ""), e.code or "")

        with GraphDatabase.driver(URI, auth=("cikg_smoke_user", "smoke-pass-123")) as other:
            n = other.execute_query(f"MATCH (n:{LABEL}) RETURN count(n) AS c").records[0]["c"]
            check("second user can log in and query (with full rights)", n == 100)

        try:
            with driver.session(database="no_such_db") as s:
                s.run("RETURN 1").consume()
            check("unknown database gives DatabaseNotFound", False)
        except ClientError as e:
            check(
                "unknown database gives DatabaseNotFound",
                e.code == "Neo.ClientError.Database.DatabaseNotFound",
                e.code or "",
            )

        with driver.session(database="system") as s:
            s.run("DROP USER cikg_smoke_user IF EXISTS").consume()
        with driver.session(database="neo4j") as s:
            s.run(f"MATCH (n:{LABEL}) DETACH DELETE n").consume()
            s.run("DROP CONSTRAINT cikg_smoke_id IF EXISTS").consume()
            s.run("DROP INDEX cikg_smoke_name IF EXISTS").consume()

    try:
        with GraphDatabase.driver(URI, auth=("neo4j", "not-the-password")) as bad:
            bad.verify_connectivity()
        check("wrong password refused", False)
    except AuthError as e:
        check("wrong password refused", True, e.code or "")

    failed = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
