# shellcheck shell=bash
# What the scale-out layout (issue 16) gives and costs, sourced by scripts/bench after its
# single-node stack is up (DATACOVEY_BENCH_ONLY=cluster). In the same run, scripts/cluster brings
# up the 3-node Galera cluster with two responders behind one nginx upstream (same release
# binaries, a temporary run directory, free ports), and the same request goes to both:
#   - the datasets list of 20 items (wrk, `seconds` per target, `connections`): req/s, p50, p99
#     through the single stack and through the 2-responder cluster, and their ratio;
#   - creating a dataset (one after another on one connection, BENCH_CREATES of them, default
#     100: a metadata insert, CREATE DATABASE and the query account's GRANT, each of which Galera
#     certifies or orders on all three nodes): p50 and p99 single vs cluster.
# On one 2-core machine the cluster's three mariadbd, two responders and two workers share the
# cores the single stack has to itself: the ratio shows the overhead, not the scale-out a second
# machine would give. Needs: base, token, datasets, seconds, connections, measure, row
# (scripts/bench). Bounded: wrk runs `seconds` per target; `scripts/cluster up` at most 180 s.

cluster_bench_dir="$(mktemp -d /tmp/dc-bench-cluster.XXXXXX)"
# scripts/cluster in a clean environment (the single stack's variables would not place it).
cluster_bench() {
    env -i HOME="${HOME:-/root}" PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        DC_BIN="$DC_BIN" DATACOVEY_CLUSTER_DIR="$cluster_bench_dir" \
        DATACOVEY_NGINX_RATE="$DATACOVEY_NGINX_RATE" DATACOVEY_NGINX_BURST="$DATACOVEY_NGINX_BURST" \
        timeout --kill-after=10 "$1" bash "$REPO_DIR/scripts/cluster" "${@:2}"
}
cluster_bench_down() {
    cluster_bench 90 down >/dev/null 2>&1 || true
    rm -rf "$cluster_bench_dir"
}
# The cluster goes down with the single stack, whatever ends the run.
trap "cluster_bench_down; $(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")" EXIT

echo
dc_log "bench: starting the 3-node cluster (scripts/cluster up)"
cluster_bench 180 up >"$cluster_bench_dir/up.log" 2>&1 || { tail -n 30 "$cluster_bench_dir/up.log" >&2; exit 1; }
cluster_url="$(source "$cluster_bench_dir/cluster.env" && echo "${CLUSTER_URL%/}")"
cluster_token="$(cluster_bench 30 admin token mint --user admin@demo.test 2>/dev/null | tail -n 1)"
cluster_auth=(-H "Authorization: Bearer $cluster_token" -H "Content-Type: application/json")
cluster_project="$(curl -sf "${cluster_auth[@]}" -d '{"name": "bench"}' "$cluster_url/api/v1/projects" |
    sed -E 's/.*"id":([0-9]+).*/\1/')"
for i in $(seq -w 1 20); do
    curl -sf -o /dev/null "${cluster_auth[@]}" -d "{\"name\": \"bench_$i\"}" "$cluster_url/api/v1/projects/$cluster_project/datasets"
done
cluster_datasets="/api/v1/projects/$cluster_project/datasets"
items="$(curl -sf "${cluster_auth[@]}" "$cluster_url$cluster_datasets" | grep -o '"project_id"' | wc -l)"
[[ "$items" == 20 ]] || { echo "the cluster returned $items datasets, not 20" >&2; exit 1; }

echo "the datasets list (20 items), single stack vs 3-node Galera cluster with 2 responders (wrk, ${seconds}s, $connections connections)"
row target "req/s" p50 p99 errors "ratio"
read -r single_rps single_p50 single_p99 single_bad < <(measure "$datasets")
row "single node, 1 responder" "$single_rps" "$single_p50" "$single_p99" "$single_bad" "1.000"
read -r cl_rps cl_p50 cl_p99 cl_bad < <(base="$cluster_url" token="$cluster_token" measure "$cluster_datasets")
row "Galera 3 nodes, 2 responders (nginx upstream)" "$cl_rps" "$cl_p50" "$cl_p99" "$cl_bad" \
    "$(awk -v a="$cl_rps" -v b="$single_rps" 'BEGIN { printf "%.3f", a / b }')"

creates="${BENCH_CREATES:-100}"
echo
echo "create dataset, $creates one after another on one connection (the write latency of Galera)"
printf '%-62s %10s %9s %7s %8s\n' target p50 p99 errors "p50 x"
read -r s_p50 s_p99 s_bad < <(python3 "$REPO_DIR/bench/create_latency.py" "$base" "$token" "$project" "$creates" latency)
printf '%-62s %10s %9s %7s %8s\n' "POST datasets, single node" "$s_p50" "$s_p99" "$s_bad" "1.00"
read -r c_p50 c_p99 c_bad < <(python3 "$REPO_DIR/bench/create_latency.py" "$cluster_url" "$cluster_token" "$cluster_project" "$creates" latency)
printf '%-62s %10s %9s %7s %8s\n' "POST datasets, Galera 3 nodes" "$c_p50" "$c_p99" "$c_bad" \
    "$(awk -v a="${c_p50%ms}" -v b="${s_p50%ms}" 'BEGIN { printf "%.2f", a / b }')"
cluster_bench_down
