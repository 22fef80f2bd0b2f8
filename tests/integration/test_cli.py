"""test_cli.py - the `labgate` command line: subcommands and their --help, --version, and the
configuration table read from a file, LABGATE_* variables and flags (flags beat the environment beat
the file beat the defaults), with every invalid value refused by name."""

import os
import socket
import tempfile
import unittest

from harness import SOURCE_DIR, Gateway, labgate, main


def config_value(out, name):
    for line in out.splitlines():
        if line.startswith(name + " = "):
            return line[len(name) + 3:]
    return None


class Commands(unittest.TestCase):
    def test_help_lists_commands(self):
        out = labgate("--help")
        self.assertEqual(out.returncode, 0)
        for name in ("gateway", "badge", "config", "version"):
            self.assertIn("  " + name + " ", out.stdout)

    def test_no_or_unknown_command(self):
        self.assertEqual(labgate().returncode, 2)
        out = labgate("frobnicate")
        self.assertEqual(out.returncode, 2)
        self.assertIn('unknown command "frobnicate"', out.stderr)

    def test_version(self):
        for args in (["--version"], ["version"]):
            out = labgate(*args)
            self.assertEqual(out.returncode, 0)
            self.assertRegex(out.stdout, r"^labgate \d+\.\d+\.\d+\n$")

    def test_every_command_has_help(self):
        for name, words in (("gateway", "--listen"), ("badge", "--style"), ("config", "--markdown"),
                            ("version", "version")):
            out = labgate(name, "--help")
            self.assertEqual(out.returncode, 0, name)
            self.assertTrue(out.stdout.startswith("Usage: labgate " + name), name)
            self.assertIn(words, out.stdout, name)

    def test_unknown_flag(self):
        out = labgate("gateway", "--bogus", "1")
        self.assertEqual(out.returncode, 2)
        self.assertIn("unknown flag --bogus", out.stderr)
        out = labgate("badge", "--listen", "127.0.0.1:1")  # an option of another command
        self.assertEqual(out.returncode, 2)

    def test_flag_needs_a_value(self):
        out = labgate("config", "--threads")
        self.assertEqual(out.returncode, 2)
        self.assertIn("--threads needs a value", out.stderr)

    def test_badge_snippet_needs_public_url(self):
        out = labgate("badge", "--format", "markdown", "--url", "github.com/o/r")
        self.assertEqual(out.returncode, 2)
        self.assertIn("--public-url", out.stderr)
        out = labgate("badge", "--format", "rst", "--url", "github.com/o/r", "--public-url", "https://lab.example")
        self.assertEqual(out.returncode, 0)
        self.assertEqual(out.stdout, ".. image:: https://lab.example/badge.svg\n   :target: "
                                     "https://lab.example/import/github/o/r\n   :alt: Open in labgate\n")

    def test_gateway_reports_a_taken_port(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            out = labgate("gateway", "--listen", "127.0.0.1:%d" % s.getsockname()[1])
            self.assertEqual(out.returncode, 1)
            self.assertIn("Address already in use", out.stderr)

    def test_second_gateway_on_the_same_port_is_refused(self):
        with Gateway() as first:
            out = labgate("gateway", "--listen", "127.0.0.1:%d" % first.port)
            self.assertEqual(out.returncode, 1)
            self.assertIn("Address already in use", out.stderr)

    def test_non_loopback_listener_needs_public_url(self):
        out = labgate("gateway", "--listen", "0.0.0.0:0")
        self.assertEqual(out.returncode, 2)
        self.assertIn("public_url: set it", out.stderr)


class Configuration(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.file = os.path.join(self.tmp.name, "labgate.ini")
        self.env = {k: "" for k in os.environ if k.startswith("LABGATE_") and k != "LABGATE_BIN"}

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, text):
        with open(self.file, "w") as f:
            f.write(text)

    def config(self, *args, env=None):
        out = labgate("config", *args, env=dict(self.env, **(env or {})))
        return out

    def test_defaults(self):
        out = self.config()
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(config_value(out.stdout, "listen"), "127.0.0.1:8080")
        self.assertEqual(config_value(out.stdout, "github_url"), "https://github.com")
        self.assertEqual(config_value(out.stdout, "max_body_bytes"), "1m")

    def test_precedence(self):
        self.write("[labgate]\n# comment\n; another\nthreads = 3\nlog_format = \"json\"\n")
        env = {"LABGATE_THREADS": "5"}
        self.assertEqual(config_value(self.config("--config", self.file).stdout, "threads"), "3")
        self.assertEqual(config_value(self.config("--config", self.file, env=env).stdout, "threads"), "5")
        out = self.config("--config", self.file, "--threads", "7", env=env).stdout
        self.assertEqual(config_value(out, "threads"), "7")
        self.assertEqual(config_value(out, "log_format"), "json")
        out = self.config(env=dict(env, LABGATE_CONFIG=self.file)).stdout
        self.assertEqual(config_value(out, "log_format"), "json")

    def test_listen_repeats_and_a_higher_source_replaces_the_list(self):
        self.write("listen = 127.0.0.1:1001\nlisten = [::1]:1002\n")
        out = self.config("--config", self.file).stdout
        self.assertEqual([l for l in out.splitlines() if l.startswith("listen")],
                         ["listen = 127.0.0.1:1001", "listen = [::1]:1002"])
        out = self.config("--config", self.file, env={"LABGATE_LISTEN": "127.0.0.1:2001,127.0.0.1:2002"}).stdout
        self.assertEqual([l for l in out.splitlines() if l.startswith("listen")],
                         ["listen = 127.0.0.1:2001", "listen = 127.0.0.1:2002"])
        out = self.config("--config", self.file, "--listen", "127.0.0.1:3001", "--listen=127.0.0.1:3002").stdout
        self.assertEqual([l for l in out.splitlines() if l.startswith("listen")],
                         ["listen = 127.0.0.1:3001", "listen = 127.0.0.1:3002"])

    def test_units(self):
        out = self.config("--max-body-bytes", "25m", "--request-timeout", "500ms", "--shutdown-timeout", "2m").stdout
        self.assertEqual(config_value(out, "max_body_bytes"), "25m")
        self.assertEqual(config_value(out, "request_timeout"), "500ms")
        self.assertEqual(config_value(out, "shutdown_timeout"), "2m")

    def test_printed_configuration_reads_back(self):
        first = self.config("--threads", "4", "--public-url", "https://lab.example/").stdout
        self.write(first)
        self.assertEqual(self.config("--config", self.file).stdout, first)

    def test_invalid_values_are_refused_by_name(self):
        cases = [("threads", "abc"), ("threads", "999"), ("threads", "-1"), ("listen", "nohost"),
                 ("listen", "1.2.3.4:99999"), ("listen", "[::1]8080"), ("listen", "a b:80"), ("log_level", "loud"),
                 ("log_format", "xml"), ("max_body_bytes", "5t"), ("max_body_bytes", "10"),
                 ("max_header_bytes", "1g"), ("request_timeout", "5x"), ("request_timeout", "0"),
                 ("public_url", "ftp://x"), ("public_url", "https://x/?q"), ("github_url", "github.com"),
                 ("max_streams", "0"), ("max_connections", "")]
        for name, value in cases:
            flag = "--" + name.replace("_", "-")
            for args, env in (([flag, value], None), ([], {"LABGATE_" + name.upper(): value})):
                out = self.config(*args, env=env)
                self.assertEqual(out.returncode, 2, (name, value))
                self.assertIn(name + ": ", out.stderr, (name, value))
                self.assertRegex(out.stderr, r"(use|give) ", (name, value))

    def test_file_errors_say_where(self):
        cases = [("threads = 2\nthreds = 3\n", "line 2: unknown option \"threds\""),
                 ("[server]\n", "line 1: unknown section [server]"),
                 ("threads\n", "line 1: expected \"option = value\""),
                 ("log_level = loud\n", "line 1: log_level: \"loud\" is not allowed; use one of debug, info, warn")]
        for text, words in cases:
            self.write(text)
            out = self.config("--config", self.file)
            self.assertEqual(out.returncode, 2, text)
            self.assertIn(words, out.stderr, text)
        out = self.config("--config", os.path.join(self.tmp.name, "missing.ini"))
        self.assertEqual(out.returncode, 2)
        self.assertIn("cannot read config file", out.stderr)

    def test_docs_are_generated_from_the_table(self):
        out = self.config("--markdown")
        with open(os.path.join(SOURCE_DIR, "docs", "configuration.md")) as f:
            docs = f.read()
        self.assertIn(out.stdout, docs, "docs/configuration.md is stale: run scripts/gen-docs")


if __name__ == "__main__":
    main()
