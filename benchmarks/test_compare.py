"""Tests of compare.py against stub benchmark commands: python3 -m unittest benchmarks/test_compare.py"""
import contextlib
import io
import json
import shlex
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare  # noqa: E402

SETTING = {"model": "bLResNet-50", "mode": "train", "batch": 4, "precision": "bf16", "memory_format": "nhwc"}

# Reports the setting it was given, as both real sides do, after a log line; appends its name to a trace file.
STUB = textwrap.dedent("""
    import argparse, json, sys
    name, ms, trace = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    parser = argparse.ArgumentParser()
    for flag in ("--model", "--mode", "--precision", "--memory-format", "--input-size", "--threads", "--warm-up"):
        parser.add_argument(flag)
    parser.add_argument("--batch", type=int)
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(sys.argv[4:])
    with open(trace, "a") as f:
        f.write(name + " " + args.model + "\\n")
    if ms < 0:
        sys.exit("stub failure")
    print("loading " + args.model)
    print(json.dumps({"model": args.model, "mode": args.mode, "batch": args.batch, "precision": args.precision,
                      "memory_format": args.memory_format, "ms_per_batch": ms,
                      "images_per_s": args.batch * 1000 / ms}))
""")


def report(**changes):
    fields = {**SETTING, "ms_per_batch": 125.0, "images_per_s": 32.0, **changes}
    return json.dumps({k: v for k, v in fields.items() if v is not None})


class ParseTests(unittest.TestCase):
    def test_reads_the_json_line_among_log_lines(self):
        output = "warming up\n" + report() + "\ndone\n"
        self.assertEqual(compare.parse(output, SETTING, "cmd"), 125.0)

    def test_rejects_a_report_of_another_setting(self):
        with self.assertRaisesRegex(ValueError, r"precision 'fp32' \(asked 'bf16'\)"):
            compare.parse(report(precision="fp32"), SETTING, "cmd")

    def test_rejects_a_report_without_a_field(self):
        with self.assertRaisesRegex(ValueError, "reported no ms_per_batch"):
            compare.parse(report(ms_per_batch=None), SETTING, "cmd")

    def test_rejects_no_or_several_reports(self):
        with self.assertRaisesRegex(ValueError, "printed 0 JSON objects"):
            compare.parse("nothing here\n", SETTING, "cmd")
        with self.assertRaisesRegex(ValueError, "printed 2 JSON objects"):
            compare.parse(report() + "\n" + report(), SETTING, "cmd")

    def test_rejects_a_time_that_is_not_positive(self):
        with self.assertRaisesRegex(ValueError, "not a positive number"):
            compare.parse(report(ms_per_batch=0), SETTING, "cmd")

    def test_table_shows_the_medians_and_their_ratio(self):
        settings = [SETTING, {**SETTING, "model": "ScaleNet-50", "memory_format": "nchw"}]
        times = {0: ([30.0, 10.0, 20.0], [80.0, 40.0, 40.0]), 1: ([5.0], [2.0])}
        self.assertEqual(compare.table(settings, times).splitlines()[2:],
                         ["| bLResNet-50 | train | bf16 | nhwc | 20.0 | 40.0 | 0.50 |",
                          "| ScaleNet-50 | train | bf16 | nchw | 5.0 | 2.0 | 2.50 |"])

    def test_flags_name_the_setting(self):
        self.assertEqual(compare.flags(SETTING, ["--threads", "2"]),
                         ["--model", "bLResNet-50", "--mode", "train", "--batch", "4", "--precision", "bf16",
                          "--memory-format", "nhwc", "--threads", "2"])


class CompareTests(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.stub = Path(self.folder.name) / "stub.py"
        self.stub.write_text(STUB)
        self.trace = Path(self.folder.name) / "trace.txt"

    def tearDown(self):
        self.folder.cleanup()

    def command(self, name, ms):
        return shlex.join([sys.executable, str(self.stub), name, str(ms), str(self.trace)])

    def run_main(self, ours_ms, peer_ms, *extra):
        stdout, stderr = io.StringIO(), io.StringIO()
        argv = ["--models", "bLResNet-50", "ScaleNet-50", "--modes", "eval", "--rounds", "2",
                "--ours", self.command("ours", ours_ms), "--peer", self.command("peer", peer_ms), *extra]
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = compare.main(argv)
        return code, stdout.getvalue(), stderr.getvalue()

    def test_prints_medians_and_ratio_per_setting(self):
        code, out, _ = self.run_main(50, 200)
        self.assertEqual(code, 0)
        self.assertIn("| bLResNet-50 | eval | fp32 | nchw | 50.0 | 200.0 | 0.25 |", out)
        self.assertIn("| ScaleNet-50 | eval | fp32 | nchw | 50.0 | 200.0 | 0.25 |", out)

    def test_alternates_which_side_goes_first(self):
        self.run_main(50, 200)
        self.assertEqual(self.trace.read_text().split("\n")[:-1],
                         ["ours bLResNet-50", "peer bLResNet-50", "ours ScaleNet-50", "peer ScaleNet-50",
                          "peer bLResNet-50", "ours bLResNet-50", "peer ScaleNet-50", "ours ScaleNet-50"])

    def test_a_failing_side_fails_the_comparison(self):
        code, out, err = self.run_main(50, -1)
        self.assertEqual(code, 1)
        self.assertIn("stub failure", err)
        self.assertNotIn("|", out)


if __name__ == "__main__":
    unittest.main()
