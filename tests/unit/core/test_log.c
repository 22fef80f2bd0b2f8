/* test_log.c - tests core/log.c: logfmt and JSON lines, the quoting that keeps every value inside its own
 * field, and level filtering. stderr is captured into a temporary file around each call. */
#include "core/log.h"

#include "tests/unit/check.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

static FILE *capture_file;
static int saved_stderr = -1;
static char captured[16384];

static void
capture_start(void)
{
    fflush(stderr);
    capture_file = tmpfile();
    saved_stderr = dup(STDERR_FILENO);
    if (capture_file == NULL || saved_stderr < 0 || dup2(fileno(capture_file), STDERR_FILENO) < 0) {
        perror("test_log: capturing stderr");
        exit(2);
    }
}

/* Restores stderr and returns what was written meanwhile. */
static const char *
capture_end(void)
{
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    rewind(capture_file);
    size_t n = fread(captured, 1, sizeof(captured) - 1, capture_file);
    captured[n] = '\0';
    fclose(capture_file);
    return captured;
}

/* The text line after "ts=YYYY-MM-DDTHH:MM:SS.mmmZ ", checking the stamp's shape; "" when absent. */
static const char *
after_stamp(const char *line)
{
    static const char shape[] = "ts=dddd-dd-ddTdd:dd:dd.dddZ ";
    for (size_t i = 0; i < sizeof(shape) - 1; i++) {
        if (shape[i] == 'd' ? (line[i] < '0' || line[i] > '9') : line[i] != shape[i]) {
            CHECK_MSG(0, "no time stamp in \"%s\"", line);
            return "";
        }
    }
    return line + sizeof(shape) - 1;
}

/* One text line for one value of field "v", without the stamp, level, id and event. */
static const char *
text_value(const char *value, size_t n)
{
    static char line[1024];
    capture_start();
    lg_log(LG_LOG_INFO, "r1", "e", LG_SN("v", value, n));
    const char *out = after_stamp(capture_end());
    const char *prefix = "level=info id=r1 event=e v=";
    CHECK_MSG(strncmp(out, prefix, strlen(prefix)) == 0, "line \"%s\"", out);
    snprintf(line, sizeof(line), "%s",
             strncmp(out, prefix, strlen(prefix)) == 0 ? out + strlen(prefix) : out);
    return line;
}

static void
test_text_line(void)
{
    lg_log_setup(LG_LOG_DEBUG, LG_LOG_TEXT);
    capture_start();
    lg_log(LG_LOG_INFO, "req-1", "import_started", LG_S("owner", "jupyter"), LG_I("bytes", 1234),
           LG_I("neg", -5), LG_SN("ref", "mainXXX", 4));
    const char *out = capture_end();
    CHECK_STR(after_stamp(out), "level=info id=req-1 event=import_started owner=jupyter bytes=1234 neg=-5 "
                                "ref=main\n");

    capture_start();
    lg_log(LG_LOG_ERROR, NULL, "boom");
    out = capture_end();
    CHECK_STR(after_stamp(out), "level=error id=- event=boom\n");

    capture_start();
    lg_log(LG_LOG_WARN, "a b", "e", LG_S("null", NULL), LG_S("empty", ""));
    out = capture_end();
    CHECK_STR(after_stamp(out), "level=warn id=\"a b\" event=e null=\"\" empty=\"\"\n");
}

static void
test_text_quoting(void)
{
    /* clang-format off */
    static const struct {
        const char *in;
        size_t len; /* 0: strlen(in) */
        const char *want;
    } cases[] = {
        {"plain", 0, "plain\n"},
        {"/import/github/o/r?x=1", 0, "\"/import/github/o/r?x=1\"\n"},
        {"two words", 0, "\"two words\"\n"},
        {"a=b", 0, "\"a=b\"\n"},
        {"say \"hi\"", 0, "\"say \\\"hi\\\"\"\n"},
        {"back\\slash", 0, "\"back\\\\slash\"\n"},
        {"line\nbreak", 0, "\"line\\nbreak\"\n"},
        {"cr\rtab\t", 0, "\"cr\\u000dtab\\t\"\n"},
        {"bell\x07" "del\x7f", 0, "\"bell\\u0007del\\u007f\"\n"},
        {"nul\0x", 5, "\"nul\\u0000x\"\n"},
        {"caf\xc3\xa9", 0, "\"caf\xc3\xa9\"\n"},
        {"bad\xff" "utf\xc0\xaf" "8\xe6\x97", 0, "\"bad\\ufffdutf\\ufffd\\ufffd8\\ufffd\\ufffd\"\n"},
        {"nel\xc2\x85" "end", 0, "\"nel\\u0085end\"\n"},
        {"x\xe2\x80\xae" "bnypi.exe", 0, "\"x\\u202ebnypi.exe\"\n"},
        {"tag\xf3\xa0\x81\x81", 0, "\"tag\\udb40\\udc41\"\n"},
        {"", 0, "\"\"\n"},
        /* values that try to add fields or lines stay inside one quoted value */
        {"x event=fake", 0, "\"x event=fake\"\n"},
        {"x\" event=\"fake", 0, "\"x\\\" event=\\\"fake\"\n"},
        {"x\nts=2024-01-01T00:00:00.000Z level=error id=- event=fake", 0,
         "\"x\\nts=2024-01-01T00:00:00.000Z level=error id=- event=fake\"\n"},
        {"x\\\" event=fake", 0, "\"x\\\\\\\" event=fake\"\n"},
    };
    /* clang-format on */
    lg_log_setup(LG_LOG_DEBUG, LG_LOG_TEXT);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
        CHECK_MSG(strcmp(text_value(cases[i].in, n), cases[i].want) == 0, "row %zu: got %s", i, captured);
    }
}

/* Parses one JSON line, checking it is exactly one object on one line. */
static json_t *
parse_json_line(const char *line)
{
    size_t n = strlen(line);
    CHECK_MSG(n > 0 && line[n - 1] == '\n' && strchr(line, '\n') == line + n - 1, "not one line: %s", line);
    json_error_t error;
    json_t *obj = json_loads(line, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &error);
    CHECK_MSG(json_is_object(obj), "not a JSON object (%s): %s", error.text, line);
    return obj;
}

static void
test_json(void)
{
    lg_log_setup(LG_LOG_DEBUG, LG_LOG_JSON);
    capture_start();
    lg_log(LG_LOG_WARN, "req-2", "slow", LG_S("path", "a b=\"c\"\n"), LG_I("ms", 1500));
    const char *out = capture_end();
    const char *rest = strstr(out, "\",\"level\"");
    CHECK_MSG(strncmp(out, "{\"ts\":\"", 7) == 0 && rest != NULL, "line %s", out);
    CHECK_STR(rest ? rest : out, "\",\"level\":\"warn\",\"id\":\"req-2\",\"event\":\"slow\","
                                 "\"path\":\"a b=\\\"c\\\"\\n\",\"ms\":1500}\n");

    /* what a decoder reads back: the value, with U+FFFD for bytes that were not UTF-8 */
    /* clang-format off */
    static const struct {
        const char *in;
        size_t len;
        const char *want;
    } values[] = {
        {"plain", 5, "plain"},
        {"q\"b\\s\n\t\r", 8, "q\"b\\s\n\t\r"},
        {"nul\0x", 5, NULL}, /* checked by length below */
        {"bad\xff", 4, "bad\xef\xbf\xbd"},
        {"caf\xc3\xa9", 5, "caf\xc3\xa9"},
        {"x\xe2\x80\xae" "y", 5, "x\xe2\x80\xae" "y"},
        {"tag\xf3\xa0\x81\x81", 7, "tag\xf3\xa0\x81\x81"},
        {"\",\"event\":\"fake", 15, "\",\"event\":\"fake"},
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        capture_start();
        lg_log(LG_LOG_INFO, NULL, "e", LG_SN("v", values[i].in, values[i].len));
        out = capture_end();
        json_t *obj = parse_json_line(out);
        json_t *v = json_object_get(obj, "v");
        CHECK_MSG(json_is_string(v), "row %zu: %s", i, out);
        if (values[i].want != NULL)
            CHECK_MSG(v && strcmp(json_string_value(v), values[i].want) == 0, "row %zu: %s", i, out);
        else
            CHECK_MSG(v && json_string_length(v) == 5 && memcmp(json_string_value(v), "nul\0x", 5) == 0,
                      "row %zu: %s", i, out);
        CHECK_STR(json_string_value(json_object_get(obj, "event")), "e");
        CHECK_STR(json_string_value(json_object_get(obj, "id")), "-");
        CHECK_INT(json_object_size(obj), 5); /* ts, level, id, event, v: nothing injected */
        json_decref(obj);
    }
    lg_log_setup(LG_LOG_INFO, LG_LOG_TEXT);
}

static int evaluated;

static const char *
expensive(void)
{
    evaluated++;
    return "x";
}

static void
test_levels(void)
{
    lg_log_setup(LG_LOG_WARN, LG_LOG_TEXT);
    CHECK_INT(lg_log_min_level, LG_LOG_WARN);
    evaluated = 0;
    capture_start();
    lg_log(LG_LOG_DEBUG, "r", "debug_event", LG_S("v", expensive()));
    lg_log(LG_LOG_INFO, "r", "info_event", LG_S("v", expensive()));
    lg_log(LG_LOG_WARN, "r", "warn_event", LG_S("v", expensive()));
    lg_log(LG_LOG_ERROR, "r", "error_event", LG_S("v", expensive()));
    const char *out = capture_end();
    CHECK(strstr(out, "debug_event") == NULL);
    CHECK(strstr(out, "info_event") == NULL);
    CHECK(strstr(out, "level=warn id=r event=warn_event v=x\n") != NULL);
    CHECK(strstr(out, "level=error id=r event=error_event v=x\n") != NULL);
    CHECK_INT(evaluated, 2); /* the level is checked before the arguments are even computed */

    lg_log_setup(LG_LOG_DEBUG, LG_LOG_TEXT);
    capture_start();
    lg_log(LG_LOG_DEBUG, "r", "debug_event");
    out = capture_end();
    CHECK_STR(after_stamp(out), "level=debug id=r event=debug_event\n");
    lg_log_setup(LG_LOG_INFO, LG_LOG_TEXT);
}

int
main(void)
{
    RUN(test_text_line);
    RUN(test_text_quoting);
    RUN(test_json);
    RUN(test_levels);
    return check_report();
}
