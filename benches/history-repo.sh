#!/usr/bin/env bash
# Makes a git repository at DEST from the bundled site's content/ (its templates are the
# built-in ones) and N
# more commits (default 1000), each a small change to content/, in turn: a region's notes
# reworded, an opt-out step changed, a status's `since` moved by a day and back, a claim's
# note reworded. After a multiple of 4 commits the facts' values are the bundled ones, so the
# site still builds. One commit a day, from 2024-01-01. Needs git.
#   benches/history-repo.sh /dev/shm/NAME/h1000 1000
set -euo pipefail
dest=${1:?usage: benches/history-repo.sh DEST [N]}
n=${2:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$dest"
mkdir -p "$dest"
cp -r "$here/content" "$dest/"
cd "$dest"
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.org
day=1704067200
commit() {
    export GIT_AUTHOR_DATE="@$day +0000" GIT_COMMITTER_DATE="@$day +0000"
    git commit -q -a -m "$1"
    day=$((day + 86400))
}
git init -q
git add -A
commit "The bundled site"
regions=content/facts/regions.yaml
for i in $(seq 1 "$n"); do
    case $((i % 4)) in
    1) sed -i -E "s/The EU is part of( \(revision [0-9]+\))?/The EU is part of (revision $i)/" $regions
       commit "Reword the EU's notes ($i)" ;;
    2) sed -i -E "s/Switch the setting \*\*off\*\*\.( \(step [0-9]+\))?/Switch the setting **off**. (step $i)/" content/facts/optouts.yaml
       commit "Change the last desktop step ($i)" ;;
    3) if grep -q "since: 2025-11-04" $regions; then from=04 to=03; else from=03 to=04; fi
       # The UK's first status (the 7th `since:` line is not needed: only the UK's block).
       sed -i -E "/^- id: uk$/,/^- id: /s/since: 2025-11-$from/since: 2025-11-$to/" $regions
       commit "Move the UK's date to 2025-11-$to ($i)" ;;
    0) sed -i -E "s/Adds India and leaves out the UK( \(revision [0-9]+\))?/Adds India and leaves out the UK (revision $i)/" content/facts/claims.yaml
       commit "Reword a claim's note ($i)" ;;
    esac
done
echo "$dest: $(git rev-list --count HEAD) commits"
