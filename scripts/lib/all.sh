# shellcheck shell=bash source-path=SCRIPTDIR
# DataCovey — sources every function library in scripts/lib. Usage, from a script:
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/all.sh"
#   dc_env_load
_dc_all_dir="$(dirname "${BASH_SOURCE[0]}")"
# shellcheck source=common.sh
source "$_dc_all_dir/common.sh"
# shellcheck source=secrets.sh
source "$_dc_all_dir/secrets.sh"
# shellcheck source=process.sh
source "$_dc_all_dir/process.sh"
# shellcheck source=deps.sh
source "$_dc_all_dir/deps.sh"
# shellcheck source=mariadb.sh
source "$_dc_all_dir/mariadb.sh"
# shellcheck source=nginx.sh
source "$_dc_all_dir/nginx.sh"
unset _dc_all_dir
