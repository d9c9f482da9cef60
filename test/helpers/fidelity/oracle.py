"""CPython side of the differential fuzz tests: reads JSON lines (one case each) on stdin, writes one
JSON line per case on stdout. Run by test/helpers/fidelity/differential.ts; see its cases modules."""
import io
import json
import logging
import logging.handlers
import os
import shutil
import sys
import tempfile
import time


def dec(v):
    if isinstance(v, dict):
        if "$int" in v:
            return int(v["$int"])
        if "$float" in v:
            return float(v["$float"])
        if "$tuple" in v:
            return tuple(dec(x) for x in v["$tuple"])
        return {k: dec(x) for k, x in v.items()}
    if isinstance(v, list):
        return [dec(x) for x in v]
    return v


def error(phase, e):
    return {"phase": phase, "type": type(e).__name__, "message": str(e)}


_tz = [None]


def set_tz(tz):
    if tz != _tz[0]:
        os.environ["TZ"] = tz
        time.tzset()
        _tz[0] = tz


def run_format(case):
    set_tz(case["tz"])
    try:
        defaults = None if case["defaults"] is None else dec(case["defaults"])
        f = logging.Formatter(case["fmt"], case["datefmt"], case["style"], case["validate"], defaults=defaults)
        if case["utc"]:
            f.converter = time.gmtime
    except Exception as e:
        return error("init", e)
    record = logging.makeLogRecord(dec(case["record"]))
    try:
        return {"text": f.format(record)}
    except Exception as e:
        return error("format", e)


class ByteRule(logging.handlers.RotatingFileHandler):
    """The project's documented size rule (test/fixtures/fidelity/exclusions.json, 'rotation'): CPython
    3.13's shouldRollover (an empty file never rolls over) with the record counted in encoded bytes."""

    def shouldRollover(self, record):
        if self.stream is None:
            self.stream = self._open()
        if self.maxBytes > 0:
            pos = self.stream.tell()
            if pos == 0:
                return False
            msg = (self.format(record) + self.terminator).encode(self.encoding)
            if pos + len(msg) >= self.maxBytes:
                if os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename):
                    return False
                return True
        return False


def run_rotation(case):
    d = tempfile.mkdtemp(prefix="fuzz-rot-py-")
    try:
        for name, text in case["initial"].items():
            with open(os.path.join(d, name), "w", encoding="utf-8", newline="") as f:
                f.write(text)
        path = os.path.join(d, "app.log")

        def make():
            h = ByteRule(path, mode=case["mode"], maxBytes=case["maxBytes"], backupCount=case["backupCount"],
                         encoding="utf-8", delay=case["delay"])
            h.setFormatter(logging.Formatter("%(message)s"))
            h.terminator = case["terminator"]
            return h

        h = make()
        for i, msg in enumerate(case["messages"]):
            if i in case["reopen"]:
                h.close()
                h = make()
            h.handle(logging.makeLogRecord({"msg": msg, "levelno": 20, "levelname": "INFO"}))
        h.close()
        return {"files": read_files(d)}
    finally:
        shutil.rmtree(d, ignore_errors=True)


def read_files(d):
    out = {}
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as fh:
            out[name] = fh.read().decode("utf-8", "surrogateescape")
    return out


class Capture(logging.StreamHandler):
    pass


def _report(self, record):
    # The package condenses CPython's multi-line report to one line; only the fact is compared.
    sys.stderr.write("--- Logging error ---\n")


logging.Handler.handleError = _report
TREE_FORMAT = "%(name)s:%(levelname)s:%(message)s"


def reset_tree():
    logging.disable(0)
    root = logging.getLogger()
    for h in root.handlers[:]:
        root.removeHandler(h)
    root.setLevel(logging.WARNING)
    logging.Logger.manager.loggerDict.clear()
    logging.Logger.manager._clear_cache()
    root.propagate = True


def run_tree(case):
    reset_tree()
    saved, sys.stderr = sys.stderr, io.StringIO()
    handlers = {}
    errors = []
    for i, op in enumerate(case["ops"]):
        try:
            kind = op["op"]
            if kind == "setLevel":
                logging.getLogger(op["logger"]).setLevel(op["level"])
            elif kind == "addHandler":
                buf = io.StringIO()
                h = Capture(buf)
                h.setLevel(op["level"])
                h.setFormatter(logging.Formatter(TREE_FORMAT))
                handlers[op["id"]] = (h, buf)
                logging.getLogger(op["logger"]).addHandler(h)
            elif kind == "removeHandler":
                if op["id"] in handlers:
                    logging.getLogger(op["logger"]).removeHandler(handlers[op["id"]][0])
            elif kind == "propagate":
                logging.getLogger(op["logger"]).propagate = op["value"]
            elif kind == "disable":
                logging.disable(op["level"])
            elif kind == "addLevelName":
                logging.addLevelName(op["level"], op["name"])
            elif kind == "log":
                logging.getLogger(op["logger"]).log(op["level"], op["msg"], *op["args"])
            else:
                getattr(logging.getLogger(op["logger"]), op["method"])(op["msg"], *op["args"])
        except Exception as e:
            errors.append([i, type(e).__name__, str(e)])
    stderr, sys.stderr = sys.stderr.getvalue(), saved
    return {"handlers": {k: v[1].getvalue() for k, v in handlers.items()}, "stderr": stderr, "errors": errors}


RUNNERS = {"format": run_format, "rotation": run_rotation, "tree": run_tree}


def main():
    kind = sys.argv[1]
    run = RUNNERS[kind]
    out = sys.stdout
    for line in sys.stdin:
        if line.strip():
            out.write(json.dumps(run(json.loads(line))) + "\n")
    out.flush()
    sys.stderr.flush()


if __name__ == "__main__":
    main()
