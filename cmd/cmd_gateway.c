/* cmd_gateway.c - `labgate gateway`: run the HTTP gateway in the foreground. */
#include "cmd/cmd.h"

#include "core/log.h"
#include "gateway/gateway.h"

int
lg_cmd_gateway(int argc, char **argv)
{
    if (lg_cmd_wants_help(argc, argv)) {
        lg_cmd_usage(stdout, "labgate gateway [OPTIONS]",
                     "Serve badges, import links, the link maker, the JSON API, health and metrics over\n"
                     "HTTP/1.1 and HTTP/2 (cleartext, or TLS with ALPN when tls_cert is set). Stops on\n"
                     "SIGTERM or SIGINT after in-flight requests finish.",
                     NULL, LG_CMD_GATEWAY);
        return LG_EXIT_OK;
    }
    lg_config_t cfg;
    if (lg_cmd_setup(&cfg, "gateway", LG_CMD_GATEWAY, &argc, argv, NULL) != 0)
        return LG_EXIT_USAGE;
    int rc = LG_EXIT_OK;
    lg_err_t err;
    if (argc > 0) {
        fprintf(stderr, "labgate gateway: unexpected argument \"%s\"\n", argv[0]);
        rc = LG_EXIT_USAGE;
    } else if (lg_gateway_run(&cfg, &err) != 0) {
        lg_log(LG_LOG_ERROR, NULL, "gateway_failed", LG_S("error", err.msg));
        rc = err.code == LG_EINVAL ? LG_EXIT_USAGE : LG_EXIT_FAILED;
    }
    lg_config_free(&cfg);
    return rc;
}
