#!/usr/bin/env python3
"""The SQL one HTTP request makes, captured on the wire, and a pgbench script of it.

    pgcapture.py proxy LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT EVENTS_FILE
        A TCP proxy in front of PostgreSQL that records, per client connection, every
        statement executed (extended protocol: Parse/Bind/Execute, with the bound
        parameter values), every simple query (a Query message: sqlx sends BEGIN and
        COMMIT that way) and every Sync sent on its own (sqlx's ping when it hands out
        a pooled connection and when it takes it back) as JSON lines with a timestamp.
        It refuses SSL/GSS encryption (answers 'N') so that it can read the messages;
        it is meant for a short capture only, never for a measurement.

    pgcapture.py script EVENTS_FILE DATABASE_URL OUT_DIR START END [START END ...]
        Each START END pair (Unix seconds) brackets one request. Takes the statements
        of the last window (of the first that has any, when the last has none) and
        writes OUT_DIR/request.sql (a pgbench script: one line per statement in the
        order sent, simple queries as they were, parameters of the others as pgbench
        variables cast to the type the server sent), OUT_DIR/defines (one
        `-D name=value` argument per line, the values the server bound) and
        OUT_DIR/capture.json (what was seen in every window).

No dependency beyond the standard library; `psql` names unusual types.
"""
import asyncio
import datetime
import json
import re
import struct
import subprocess
import sys
import time
import uuid

SSL_REQUEST = 80877103
GSS_REQUEST = 80877104
# Extended-protocol messages: Parse, Bind, Describe, Execute, Close, Flush.
EXTENDED = {b"P", b"B", b"D", b"E", b"C", b"H"}


# --- the proxy -------------------------------------------------------------------

class Recorder:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1)
        self.next_id = 0

    def write(self, event):
        event["t"] = time.time()
        self.file.write(json.dumps(event) + "\n")


def cstring(data, offset):
    end = data.index(b"\0", offset)
    return data[offset:end].decode("utf-8", "replace"), end + 1


class Connection:
    """What one client connection prepared, bound and executed."""

    def __init__(self, recorder, number):
        self.recorder = recorder
        self.number = number
        self.statements = {}  # name -> (sql, [oid])
        self.portals = {}  # name -> (statement name, [param], [format])
        # Whether an extended-protocol message (Parse, Bind, Describe, Execute, Close,
        # Flush…) came since the last Sync: a Sync without one is a bare ping. A simple
        # Query is complete in itself (the server answers it with ReadyForQuery), so it
        # leaves this alone: the release ping right after sqlx's COMMIT is a ping.
        self.extended_since_sync = False

    def message(self, kind, body):
        if kind == b"P":
            name, offset = cstring(body, 0)
            sql, offset = cstring(body, offset)
            (count,) = struct.unpack_from("!h", body, offset)
            oids = list(struct.unpack_from("!%dI" % count, body, offset + 2))
            self.statements[name] = (sql, oids)
        elif kind == b"B":
            portal, offset = cstring(body, 0)
            statement, offset = cstring(body, offset)
            (nformats,) = struct.unpack_from("!h", body, offset)
            formats = list(struct.unpack_from("!%dh" % nformats, body, offset + 2))
            offset += 2 + 2 * nformats
            (nparams,) = struct.unpack_from("!h", body, offset)
            offset += 2
            params = []
            for _ in range(nparams):
                (length,) = struct.unpack_from("!i", body, offset)
                offset += 4
                if length < 0:
                    params.append(None)
                else:
                    params.append(body[offset:offset + length].hex())
                    offset += length
            self.portals[portal] = (statement, params, formats)
        elif kind == b"E":
            portal, _ = cstring(body, 0)
            statement, params, formats = self.portals.get(portal, ("?", [], []))
            sql, oids = self.statements.get(statement, ("?", []))
            if not formats:
                formats = [0] * len(params)  # all text
            elif len(formats) == 1:
                formats = formats * len(params)  # one format for all
            self.recorder.write({"conn": self.number, "kind": "execute", "sql": sql,
                                 "oids": oids, "formats": formats, "params": params})
        elif kind == b"Q":
            sql, _ = cstring(body, 0)
            self.recorder.write({"conn": self.number, "kind": "query", "sql": sql})
        elif kind == b"S":
            if not self.extended_since_sync:
                self.recorder.write({"conn": self.number, "kind": "sync"})
            self.extended_since_sync = False
        if kind in EXTENDED:
            self.extended_since_sync = True


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def client_to_server(reader, writer, upstream_writer, connection):
    try:
        # Startup: untyped messages, possibly an SSL or GSS request first.
        while True:
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            rest = await reader.readexactly(length - 8)
            if code in (SSL_REQUEST, GSS_REQUEST):
                writer.write(b"N")
                await writer.drain()
                continue
            upstream_writer.write(head + rest)
            await upstream_writer.drain()
            break
        while True:
            head = await reader.readexactly(5)
            kind = head[:1]
            (length,) = struct.unpack("!i", head[1:])
            body = await reader.readexactly(length - 4)
            try:
                connection.message(kind, body)
            except (ValueError, struct.error) as error:
                connection.recorder.write({"conn": connection.number, "kind": "error",
                                           "error": str(error)})
            upstream_writer.write(head + body)
            await upstream_writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        upstream_writer.close()


def proxy(listen_port, upstream_host, upstream_port, events_path):
    recorder = Recorder(events_path)

    async def accept(reader, writer):
        recorder.next_id += 1
        connection = Connection(recorder, recorder.next_id)
        try:
            up_reader, up_writer = await asyncio.open_connection(upstream_host, upstream_port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(
            client_to_server(reader, writer, up_writer, connection),
            pipe(up_reader, writer),
        )

    async def main():
        server = await asyncio.start_server(accept, "127.0.0.1", listen_port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


# --- the pgbench script ----------------------------------------------------------

# Types by OID, and the element type of each array type.
TYPES = {
    16: "boolean", 17: "bytea", 18: "\"char\"", 19: "name", 20: "bigint", 21: "smallint",
    23: "integer", 25: "text", 114: "json", 700: "real", 701: "double precision",
    1042: "bpchar", 1043: "character varying", 1082: "date",
    1114: "timestamp without time zone", 1184: "timestamp with time zone",
    2950: "uuid", 3802: "jsonb",
}
ARRAYS = {1000: 16, 1005: 21, 1007: 23, 1016: 20, 1009: 25, 1015: 1043, 1014: 1042,
          2951: 2950, 1115: 1114, 1185: 1184, 1182: 1082}
EPOCH_2000 = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)


def decode_scalar(oid, raw):
    if oid == 16:
        return "true" if raw[0] else "false"
    if oid in (20, 21, 23):
        return str(int.from_bytes(raw, "big", signed=True))
    if oid == 700:
        return repr(struct.unpack("!f", raw)[0])
    if oid == 701:
        return repr(struct.unpack("!d", raw)[0])
    if oid == 2950:
        return str(uuid.UUID(bytes=raw))
    if oid in (1114, 1184):
        (micros,) = struct.unpack("!q", raw)
        moment = EPOCH_2000 + datetime.timedelta(microseconds=micros)
        return moment.isoformat(sep=" ") if oid == 1184 else moment.replace(tzinfo=None).isoformat(sep=" ")
    if oid == 1082:
        (days,) = struct.unpack("!i", raw)
        return (EPOCH_2000.date() + datetime.timedelta(days=days)).isoformat()
    if oid == 17:
        return "\\x" + raw.hex()
    if oid == 3802:
        return raw[1:].decode("utf-8")  # version byte, then the text
    # text, varchar, name, json, enums (binary = the label) and anything else textual.
    return raw.decode("utf-8")


def array_literal(items):
    def quote(item):
        if item is None:
            return "NULL"
        return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return "{" + ",".join(quote(item) for item in items) + "}"


def decode_array(raw):
    ndim, _flags, element = struct.unpack_from("!iiI", raw, 0)
    offset = 12
    if ndim == 0:
        return "{}"
    if ndim != 1:
        raise ValueError("arrays of %d dimensions are not decoded" % ndim)
    (size, _lower) = struct.unpack_from("!ii", raw, offset)
    offset += 8
    items = []
    for _ in range(size):
        (length,) = struct.unpack_from("!i", raw, offset)
        offset += 4
        if length < 0:
            items.append(None)
        else:
            items.append(decode_scalar(element, raw[offset:offset + length]))
            offset += length
    return array_literal(items)


def decode(oid, fmt, hexed, arrays):
    raw = bytes.fromhex(hexed)
    if fmt == 0:
        return raw.decode("utf-8")
    if oid in arrays:
        return decode_array(raw)
    return decode_scalar(oid, raw)


def type_names(url, oids):
    """{oid: type name} and the set of array OIDs, asking psql about unusual ones."""
    names = {oid: TYPES[oid] for oid in oids if oid in TYPES}
    arrays = {oid for oid in oids if oid in ARRAYS}
    for oid in arrays:
        names[oid] = TYPES.get(ARRAYS[oid], "text") + "[]"
    unknown = sorted({oid for oid in oids if oid and oid not in names})
    if unknown:
        out = subprocess.run(
            ["psql", "-X", "-At", "-F", "\t", url, "-c",
             "SELECT oid, format_type(oid, NULL), typcategory = 'A' FROM pg_type WHERE oid IN (%s)"
             % ",".join(str(o) for o in unknown)],
            check=True, capture_output=True, text=True).stdout
        for line in out.splitlines():
            oid, name, is_array = line.split("\t")
            names[int(oid)] = name
            if is_array == "t":
                arrays.add(int(oid))
    return names, arrays


def window(events, start, end):
    return [e for e in events if start <= e["t"] <= end]


def statements(events):
    return [e["sql"] for e in events if e["kind"] in ("execute", "query")]


def script(events_path, url, out_dir, bounds):
    events = [json.loads(line) for line in open(events_path)]
    errors = [e for e in events if e["kind"] == "error"]
    if errors:
        sys.exit("pgcapture: could not read a protocol message: %s" % errors[0]["error"])
    windows = [window(events, float(bounds[i]), float(bounds[i + 1]))
               for i in range(0, len(bounds), 2)]
    sql_of = lambda w: [e for e in w if e["kind"] in ("execute", "query")]  # noqa: E731
    # The last request is the reference: the first ones may carry one-off work of fresh
    # pool connections (type look-ups). Should it issue no SQL (a cache), the first that
    # did is replayed instead, and the summary says so.
    reference, note = windows[-1], ""
    if not sql_of(reference):
        issued = [w for w in windows if sql_of(w)]
        if not issued:
            sys.exit("pgcapture: the requests issued no SQL (nothing captured in their windows)")
        reference = issued[0]
        note = ("the last requests issued no SQL (answered from a cache?); pgbench replays "
                "request %d of %d, the first that issued SQL" % (windows.index(reference) + 1,
                                                                 len(windows)))
    executed = sql_of(reference)
    oids = [oid for e in executed if e["kind"] == "execute" for oid in e["oids"]]
    names, arrays = type_names(url, oids)

    lines, defines = [], []
    for s, event in enumerate(executed, 1):
        sql = " ".join(event["sql"].split())
        if event["kind"] == "execute" and event["params"]:
            values = {}
            for i, (oid, fmt, hexed) in enumerate(
                    zip(event["oids"] or [0] * len(event["params"]),
                        event["formats"], event["params"]), 1):
                cast = "::" + names[oid] if oid in names else ""
                if hexed is None:
                    values[i] = "NULL" + cast
                    continue
                value = decode(oid, fmt, hexed, arrays)
                if "\n" in value:
                    sys.exit("pgcapture: a parameter holds a newline; pgbench -D cannot pass it")
                variable = "s%dp%d" % (s, i)
                defines.append("%s=%s" % (variable, value))
                values[i] = ":" + variable + cast
            sql = re.sub(r"\$(\d+)", lambda m: values[int(m.group(1))], sql)
        # pgbench reads every ":name" as a variable; only ours may be left.
        if re.search(r":[A-Za-z_]", re.sub(r"::|:s\d+p\d+\b", "", sql)):
            sys.exit("pgcapture: statement %d holds ':' which pgbench would read as a variable: %s"
                     % (s, sql))
        lines.append(sql.rstrip(";") + ";")

    with open(out_dir + "/request.sql", "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(out_dir + "/defines", "w") as f:
        f.write("".join("%s\n" % d for d in defines))
    last = windows[-3:]
    summary = {
        "statements": len(executed),
        "pings": sum(1 for e in reference if e["kind"] == "sync"),
        "connections": len({e["conn"] for e in reference}),
        "requests": [{"statements": len(sql_of(w)),
                      "pings": sum(1 for e in w if e["kind"] == "sync")} for w in windows],
        # Whether the last requests issued the same statements, in the same order
        # (pings aside: the release ping may fall just after a window).
        "stable": all(statements(w) == statements(last[0]) for w in last),
        "note": note,
        "sql": [" ".join(e["sql"].split()) for e in executed],
        # "simple" (a Query message) or "extended" (Parse/Bind/Execute), per statement.
        "protocol": ["simple" if e["kind"] == "query" else "extended" for e in executed],
    }
    with open(out_dir + "/capture.json", "w") as f:
        json.dump(summary, f, indent=1)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "proxy":
        proxy(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif len(sys.argv) >= 7 and sys.argv[1] == "script" and len(sys.argv) % 2 == 1:
        script(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    else:
        sys.exit(__doc__)
