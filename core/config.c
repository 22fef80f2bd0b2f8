/* config.c - loading the configuration from defaults, an INI file, the environment and flags. */
#include "config.h"

#include "buf.h"
#include "mem.h"
#include "option_value.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Sources in rising precedence; a LISTEN list set by a higher source replaces a lower one's. */
enum { SRC_DEFAULT, SRC_FILE, SRC_ENV, SRC_FLAG };

typedef struct {
    lg_config_t *cfg;
    unsigned char *source; /* lg_noptions entries: the SRC_* that last set each option */
} loader_t;

static const lg_option_t *
find_option(const char *name, size_t len)
{
    for (size_t i = 0; i < lg_noptions; i++) {
        const char *n = lg_options[i].name;
        size_t j = 0;
        /* flags may spell '_' as '-' */
        while (j < len && n[j] != '\0' && (n[j] == name[j] || (n[j] == '_' && name[j] == '-')))
            j++;
        if (j == len && n[j] == '\0')
            return &lg_options[i];
    }
    return NULL;
}

static int
apply(loader_t *ld, const lg_option_t *opt, int source, const char *text, lg_err_t *err)
{
    size_t idx = (size_t)(opt - lg_options);
    if (opt->type == LG_OPT_LISTEN && ld->source[idx] != source)
        lg_option_clear(ld->cfg, opt);
    ld->source[idx] = (unsigned char)source;
    return lg_option_set(ld->cfg, opt, text, err);
}

int
lg_config_set(lg_config_t *cfg, const char *name, const char *value, lg_err_t *err)
{
    const lg_option_t *opt = find_option(name, strlen(name));
    if (opt == NULL)
        return lg_err_set(err, LG_EINVAL, "unknown option \"%.64s\"", name);
    return lg_option_set(cfg, opt, value, err);
}

/* Puts "where: " in front of err's message, cutting the end if it no longer fits. */
static void
prefix_error(lg_err_t *err, const char *where)
{
    if (err == NULL)
        return;
    char msg[sizeof(err->msg)];
    int n = snprintf(msg, sizeof(msg), "%s: ", where);
    if (n < 0 || (size_t)n >= sizeof(msg))
        return;
    size_t room = sizeof(msg) - (size_t)n - 1, len = strlen(err->msg);
    memcpy(msg + n, err->msg, len < room ? len : room);
    msg[(size_t)n + (len < room ? len : room)] = '\0';
    memcpy(err->msg, msg, sizeof(msg));
}

static char *
trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* One "key = value" line of the INI file; comments and the [labgate] header are handled by the caller. */
static int
load_line(loader_t *ld, char *line, lg_err_t *err)
{
    char *eq = strchr(line, '=');
    if (eq == NULL)
        return lg_err_set(err, LG_EINVAL, "expected \"option = value\"");
    *eq = '\0';
    char *key = trim(line), *value = trim(eq + 1);
    size_t vlen = strlen(value);
    if (vlen >= 2 && value[0] == '"' && value[vlen - 1] == '"') {
        value[vlen - 1] = '\0';
        value++;
    }
    const lg_option_t *opt = find_option(key, strlen(key));
    if (opt == NULL || strchr(key, '-') != NULL)
        return lg_err_set(err, LG_EINVAL, "unknown option \"%.64s\" (see labgate config --help)", key);
    return apply(ld, opt, SRC_FILE, value, err);
}

static int
load_file(loader_t *ld, const char *path, lg_err_t *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return lg_err_set(err, LG_EIO, "cannot read config file %s: %m", path);
    char line[4096];
    long lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        if (strchr(line, '\n') == NULL && !feof(f)) {
            rc = lg_err_set(err, LG_EINVAL, "line longer than %zu bytes", sizeof(line) - 2);
            break;
        }
        char *s = trim(line);
        if (*s == '\0' || *s == '#' || *s == ';' || strcmp(s, "[labgate]") == 0)
            continue;
        if (*s == '[')
            rc = lg_err_set(err, LG_EINVAL, "unknown section %.64s (only [labgate] is read)", s);
        else
            rc = load_line(ld, s, err);
    }
    fclose(f);
    if (rc != 0) {
        char where[128];
        snprintf(where, sizeof(where), "%.100s line %ld", path, lineno);
        prefix_error(err, where);
    }
    return rc;
}

static int
load_env(loader_t *ld, lg_err_t *err)
{
    for (size_t i = 0; i < lg_noptions; i++) {
        char name[96] = "LABGATE_";
        for (size_t j = 0; lg_options[i].name[j] && j < 80; j++)
            name[8 + j] = (char)toupper((unsigned char)lg_options[i].name[j]), name[9 + j] = '\0';
        const char *value = getenv(name);
        if (value == NULL)
            continue;
        char *copy = lg_xstrdup(value), *save = NULL;
        int rc = 0;
        if (lg_options[i].type == LG_OPT_LISTEN) {
            for (char *tok = strtok_r(copy, ", ", &save); tok && rc == 0; tok = strtok_r(NULL, ", ", &save))
                rc = apply(ld, &lg_options[i], SRC_ENV, tok, err);
        } else {
            rc = apply(ld, &lg_options[i], SRC_ENV, copy, err);
        }
        free(copy);
        if (rc != 0) {
            prefix_error(err, name);
            return -1;
        }
    }
    return 0;
}

typedef struct {
    const lg_option_t *opt;
    const char *value;
} pending_t;

static lg_flag_t *
find_flag(lg_flag_t *flags, const char *name, size_t len)
{
    for (lg_flag_t *f = flags; f && f->name; f++)
        if (strlen(f->name) == len && strncmp(f->name, name, len) == 0)
            return f;
    return NULL;
}

/* Sorts argv into the command's own flags, configuration flags (returned in pending, applied after the
 * environment), --config and positional arguments. */
static int
scan_args(unsigned command, int argc, char **argv, lg_flag_t *flags, pending_t *pending, int *npending,
          const char **config_path, int *npositional, lg_err_t *err)
{
    int npos = 0, only_positional = 0;
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (only_positional || arg[0] != '-' || arg[1] == '\0') {
            argv[npos++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = 1;
            continue;
        }
        if (arg[1] != '-')
            return lg_err_set(err, LG_EINVAL, "unknown flag %.64s (flags are spelled --name)", arg);
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        lg_flag_t *flag = find_flag(flags, name, len);
        const lg_option_t *opt = flag ? NULL : find_option(name, len);
        int is_config = !flag && len == 6 && strncmp(name, "config", 6) == 0;
        if (!flag && !is_config && (opt == NULL || !(opt->commands & command)))
            return lg_err_set(err, LG_EINVAL, "unknown flag --%.*s (see --help)", (int)(len > 64 ? 64 : len),
                              name);
        const char *value = eq ? eq + 1 : NULL;
        if (flag && !flag->takes_value) {
            if (value)
                return lg_err_set(err, LG_EINVAL, "flag --%s takes no value", flag->name);
            flag->value = "1";
            continue;
        }
        if (value == NULL) {
            if (i + 1 >= argc)
                return lg_err_set(err, LG_EINVAL, "flag --%.*s needs a value", (int)(len > 64 ? 64 : len),
                                  name);
            value = argv[++i];
        }
        if (flag)
            flag->value = value;
        else if (is_config)
            *config_path = value;
        else
            pending[(*npending)++] = (pending_t){opt, value};
    }
    *npositional = npos;
    return 0;
}

static void
flag_spelling(char *out, size_t size, const char *name)
{
    snprintf(out, size, "--%s", name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = '-';
}

static int
load_defaults(loader_t *ld, lg_err_t *err)
{
    for (size_t i = 0; i < lg_noptions; i++)
        if (lg_options[i].def && apply(ld, &lg_options[i], SRC_DEFAULT, lg_options[i].def, err) != 0)
            return -1;
    return 0;
}

static int
check_combinations(const lg_config_t *cfg, lg_err_t *err)
{
    if ((cfg->tls_cert[0] == '\0') != (cfg->tls_key[0] == '\0'))
        return lg_err_set(err, LG_EINVAL, "tls_cert and tls_key go together: set both, or neither");
    if (cfg->nlisten == 0)
        return lg_err_set(err, LG_EINVAL, "listen: give at least one HOST:PORT");
    return 0;
}

int
lg_config_load(lg_config_t *cfg, unsigned command, int argc, char **argv, lg_flag_t *flags, int *npositional,
               lg_err_t *err)
{
    loader_t ld = {.cfg = cfg, .source = lg_xcalloc(lg_noptions, sizeof(*ld.source))};
    pending_t *pending = lg_xcalloc((size_t)argc + 1, sizeof(*pending));
    int npending = 0, rc = -1;
    const char *config_path = getenv("LABGATE_CONFIG");

    memset(cfg, 0, sizeof(*cfg));
    if (scan_args(command, argc, argv, flags, pending, &npending, &config_path, npositional, err) != 0)
        goto out;
    if (load_defaults(&ld, err) != 0)
        goto out;
    if (config_path && *config_path && load_file(&ld, config_path, err) != 0)
        goto out;
    if (load_env(&ld, err) != 0)
        goto out;
    for (int i = 0; i < npending; i++) {
        if (apply(&ld, pending[i].opt, SRC_FLAG, pending[i].value, err) != 0) {
            char flag[96];
            flag_spelling(flag, sizeof(flag), pending[i].opt->name);
            prefix_error(err, flag);
            goto out;
        }
    }
    rc = check_combinations(cfg, err);
out:
    free(ld.source);
    free(pending);
    return rc;
}

void
lg_config_free(lg_config_t *cfg)
{
    for (size_t i = 0; i < lg_noptions; i++)
        lg_option_clear(cfg, &lg_options[i]);
}

void
lg_config_print_help(FILE *f, unsigned command)
{
    lg_buf_t b = LG_BUF_INIT;
    fprintf(f, "\nOptions (flag, LABGATE_* variable, or option in the --config FILE):\n");
    for (size_t i = 0; i < lg_noptions; i++) {
        const lg_option_t *o = &lg_options[i];
        if (!(o->commands & command))
            continue;
        char flag[96];
        flag_spelling(flag, sizeof(flag), o->name);
        lg_buf_reset(&b);
        lg_option_describe(&b, o);
        fprintf(f, "  %-22s %s\n  %-22s   %s; default \"%s\"\n", flag, o->help, "", lg_buf_str(&b),
                o->def ? o->def : "");
    }
    fprintf(f, "  %-22s %s\n", "--config FILE", "Read options from an INI file (also LABGATE_CONFIG).");
    lg_buf_free(&b);
}

void
lg_config_print_markdown(FILE *f)
{
    lg_buf_t b = LG_BUF_INIT;
    fprintf(f, "| option | flag | environment | default | allowed values | description |\n");
    fprintf(f, "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < lg_noptions; i++) {
        const lg_option_t *o = &lg_options[i];
        char flag[96], env[96];
        flag_spelling(flag, sizeof(flag), o->name);
        snprintf(env, sizeof(env), "LABGATE_%s", o->name);
        for (char *p = env; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        lg_buf_reset(&b);
        lg_option_describe(&b, o);
        fprintf(f, "| `%s` | `%s` | `%s` | `%s` | %s | %s |\n", o->name, flag, env, o->def ? o->def : "",
                lg_buf_str(&b), o->help);
    }
    lg_buf_free(&b);
}

void
lg_config_print_ini(FILE *f, const lg_config_t *cfg)
{
    lg_buf_t b = LG_BUF_INIT;
    fprintf(f, "[labgate]\n");
    for (size_t i = 0; i < lg_noptions; i++) {
        const lg_option_t *o = &lg_options[i];
        if (o->type == LG_OPT_LISTEN) {
            for (size_t j = 0; j < cfg->nlisten; j++) {
                lg_config_t one = *cfg;
                one.listen[0] = cfg->listen[j];
                one.nlisten = 1;
                lg_buf_reset(&b);
                lg_option_format(&b, &one, o);
                fprintf(f, "%s = %s\n", o->name, lg_buf_str(&b));
            }
            continue;
        }
        lg_buf_reset(&b);
        lg_option_format(&b, cfg, o);
        fprintf(f, "%s = %s\n", o->name, lg_buf_str(&b));
    }
    lg_buf_free(&b);
}
