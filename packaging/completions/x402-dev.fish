# fish completion for x402-dev
set -l commands mock config init version
set -l mock_subcommands start stop status list restart reload logs install uninstall health requests

complete -c x402-dev -f
complete -c x402-dev -n "not __fish_seen_subcommand_from $commands" -a mock -d 'run or manage the mock x402 server'
complete -c x402-dev -n "not __fish_seen_subcommand_from $commands" -a config -d 'show or validate the configuration'
complete -c x402-dev -n "not __fish_seen_subcommand_from $commands" -a init -d 'write a commented .x402dev.yaml'
complete -c x402-dev -n "not __fish_seen_subcommand_from $commands" -a version -d 'print version information'

complete -c x402-dev -n "__fish_seen_subcommand_from mock; and not __fish_seen_subcommand_from $mock_subcommands" -a "$mock_subcommands"
complete -c x402-dev -n "__fish_seen_subcommand_from config; and not __fish_seen_subcommand_from show validate" -a "show validate"

complete -c x402-dev -l help -s h -d 'show help'
complete -c x402-dev -l verbose -s v -d 'more detail'
complete -c x402-dev -l debug -d 'internal detail'
complete -c x402-dev -l no-color -d 'no colours'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l config -s c -r -F -d 'project config file'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l port -x -d 'TCP port'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l host -x -d 'address to bind'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l backend -x -a 'auto systemd launchd windows direct' -d 'service backend'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l network -x -a 'base base-sepolia ethereum avalanche polygon monad stable stable-testnet celo flare sei sei-testnet eip155:42161 eip155:421614 eip155:8453 eip155:84532 eip155:137' -d 'network of the one payment option'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l pricing -x -d 'default price in USD'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l simulation-mode -x -a 'success failure timeout pending lost-response rpc-outage slow' -d 'what a valid payment gets'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l verification -x -a 'strict shape' -d 'how payments are checked'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l log-level -x -a 'error warn info debug' -d 'server log level'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l max-connections -x -d 'open connections at most'
complete -c x402-dev -n "__fish_seen_subcommand_from mock config init" -l allowed-hosts -x -d 'Host names answered besides localhost and IPs, or all'
complete -c x402-dev -n "__fish_seen_subcommand_from mock" -l threads -x -d 'server threads'
complete -c x402-dev -n "__fish_seen_subcommand_from start restart" -l wait-timeout -x -d 'seconds to wait for readiness'
complete -c x402-dev -n "__fish_seen_subcommand_from stop reload restart health" -l timeout -x -d 'seconds'
complete -c x402-dev -n "__fish_seen_subcommand_from status config list" -l json -d 'one JSON object'
complete -c x402-dev -n "__fish_seen_subcommand_from requests" -l json -d 'one JSON object per request'
complete -c x402-dev -n "__fish_seen_subcommand_from stop status" -l all -d 'every instance'
complete -c x402-dev -n "__fish_seen_subcommand_from mock" -l name -x -a '(ls ~/.x402dev/instances 2>/dev/null)' -d 'named instance'
complete -c x402-dev -n "__fish_seen_subcommand_from health" -l url -x -d 'server to ask: http://HOST:PORT[/PATH]'
complete -c x402-dev -n "__fish_seen_subcommand_from logs" -s n -l lines -x -d 'lines to show'
complete -c x402-dev -n "__fish_seen_subcommand_from logs" -s f -l follow -d 'follow the log'
complete -c x402-dev -n "__fish_seen_subcommand_from logs" -l since -x -a '10m 1h 1d' -d 'only lines from WHEN on'
complete -c x402-dev -n "__fish_seen_subcommand_from logs" -l level -x -a 'debug info warn error' -d 'only lines at least this severe'
complete -c x402-dev -n "__fish_seen_subcommand_from requests" -s n -l lines -x -d 'latest requests to show'
complete -c x402-dev -n "__fish_seen_subcommand_from requests" -s f -l follow -d 'follow new requests'
complete -c x402-dev -n "__fish_seen_subcommand_from install" -l enable -d 'start at login'
complete -c x402-dev -n "__fish_seen_subcommand_from init" -l output -s o -r -F -d 'file to write'
complete -c x402-dev -n "__fish_seen_subcommand_from init" -l force -s f -d 'overwrite'
complete -c x402-dev -n "__fish_seen_subcommand_from init" -l yes -s y -d 'do not ask'
