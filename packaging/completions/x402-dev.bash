# bash completion for x402-dev
_x402_dev() {
  local cur prev words cword
  _init_completion 2>/dev/null || { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}; words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
  local config_opts="--config --port --host --backend --network --pricing --simulation-mode --verification --log-level --max-connections --allowed-hosts"
  local global_opts="--help --verbose --debug --no-color"
  case "$prev" in
    --backend) COMPREPLY=($(compgen -W "auto systemd launchd windows direct" -- "$cur")); return ;;
    --network) COMPREPLY=($(compgen -W "base base-sepolia ethereum avalanche polygon monad stable stable-testnet celo flare sei sei-testnet eip155:42161 eip155:421614 eip155:8453 eip155:84532 eip155:137" -- "$cur")); return ;;
    --simulation-mode) COMPREPLY=($(compgen -W "success failure timeout pending lost-response rpc-outage slow" -- "$cur")); return ;;
    --verification) COMPREPLY=($(compgen -W "strict shape" -- "$cur")); return ;;
    --log-level|--level) COMPREPLY=($(compgen -W "error warn info debug" -- "$cur")); return ;;
    --config|-c|--output|-o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --port|--host|--pricing|--max-connections|--allowed-hosts|--threads|--timeout|--wait-timeout|-n|--lines|--url|--since) return ;;
    --name) COMPREPLY=($(compgen -W "$(ls "$HOME/.x402dev/instances" 2>/dev/null)" -- "$cur")); return ;;
  esac
  local command="" sub="" i
  for ((i = 1; i < cword; i++)); do
    case "${words[i]}" in
      -*) ;;
      *) if [ -z "$command" ]; then command=${words[i]}; elif [ -z "$sub" ]; then sub=${words[i]}; fi ;;
    esac
  done
  case "$command" in
    "") COMPREPLY=($(compgen -W "mock config init version help $global_opts --version" -- "$cur")) ;;
    mock)
      case "$sub" in
        "") COMPREPLY=($(compgen -W "start stop status list restart reload logs install uninstall health requests --name --threads $config_opts $global_opts" -- "$cur")) ;;
        start) COMPREPLY=($(compgen -W "--wait-timeout --threads --name $config_opts $global_opts" -- "$cur")) ;;
        restart) COMPREPLY=($(compgen -W "--wait-timeout --timeout --threads --name $config_opts $global_opts" -- "$cur")) ;;
        stop) COMPREPLY=($(compgen -W "--timeout --all --name $global_opts" -- "$cur")) ;;
        status) COMPREPLY=($(compgen -W "--json --all --name $global_opts" -- "$cur")) ;;
        list) COMPREPLY=($(compgen -W "--json $global_opts" -- "$cur")) ;;
        reload) COMPREPLY=($(compgen -W "--timeout --name $global_opts" -- "$cur")) ;;
        logs) COMPREPLY=($(compgen -W "-n --lines -f --follow --since --level --name $global_opts" -- "$cur")) ;;
        install) COMPREPLY=($(compgen -W "--enable --threads --name $config_opts $global_opts" -- "$cur")) ;;
        uninstall) COMPREPLY=($(compgen -W "--backend --name $global_opts" -- "$cur")) ;;
        health) COMPREPLY=($(compgen -W "--url --timeout --port --host --config --name $global_opts" -- "$cur")) ;;
        requests) COMPREPLY=($(compgen -W "-n --lines -f --follow --json --name $global_opts" -- "$cur")) ;;
      esac ;;
    config)
      case "$sub" in
        "") COMPREPLY=($(compgen -W "show validate --json $config_opts $global_opts" -- "$cur")) ;;
        show) COMPREPLY=($(compgen -W "--json $config_opts $global_opts" -- "$cur")) ;;
        validate) COMPREPLY=($(compgen -f -- "$cur")) ;;
      esac ;;
    init) COMPREPLY=($(compgen -W "--output --force --yes $config_opts $global_opts" -- "$cur")) ;;
    version|help) COMPREPLY=() ;;
  esac
}
complete -F _x402_dev x402-dev
