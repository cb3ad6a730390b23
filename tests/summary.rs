//! The home page's "Who is affected" block is generated from the statuses: changing a region's
//! status in the facts moves the region to the matching group.

mod common;

use std::fs;
use std::path::Path;

use common::{build_into, fixture};

/// The `<li class="who-KIND">` line of `change`'s block on the home page, if any.
fn group(out: &Path, change: &str, kind: &str) -> Option<String> {
    let home = fs::read_to_string(out.join("index.html")).expect("home page");
    let start = home
        .find(&format!("id=\"change-{change}\""))
        .unwrap_or_else(|| panic!("no block for {change}"));
    let block = &home[start..start + home[start..].find("</div>").expect("block end")];
    let at = block.find(&format!("<li class=\"who-{kind}\">"))?;
    Some(block[at..at + block[at..].find("</li>").expect("line end")].to_string())
}

fn edit(root: &Path, from: &str, to: &str) {
    let path = root.join("content/facts/regions.yaml");
    let text = fs::read_to_string(&path).expect("regions.yaml");
    assert!(text.contains(from), "{from}");
    fs::write(&path, text.replacen(from, to, 1)).expect("write regions.yaml");
}

#[test]
fn the_block_follows_the_statuses_inherited_ones_included() {
    let (_tmp, root) = fixture("basic");
    let (_out_tmp, out, _) = build_into(&root);
    let new = group(&out, "training", "new").expect("new group");
    assert!(new.contains("New from <time datetime=\"2026-03-01\">1 March 2026</time> in:"));
    assert!(new.contains("<a href=\"/regions/group/\">Group of Countries</a>"));
    assert!(
        new.contains("<a href=\"/regions/member/\">Member Land</a>"),
        "inherited: {new}"
    );
    let unclear = group(&out, "training", "unclear").expect("unclear group");
    assert!(unclear.contains("Rest of the world"), "{unclear}");
    assert!(group(&out, "training", "no").is_none());
    let no = group(&out, "sharing", "no").expect("sharing does not apply");
    assert!(no.contains("Group of Countries") && no.contains("Member Land"));
    let unstated = group(&out, "sharing", "unclear").expect("no status is unclear");
    assert!(unstated.contains("Rest of the world"));
}

#[test]
fn changing_a_status_moves_the_region() {
    let (_tmp, root) = fixture("basic");
    edit(
        &root,
        "  status:\n    training:\n      state: unclear",
        "  status:\n    training:\n      state: does-not-apply",
    );
    edit(&root, "since: 2026-03-01", "since: 2020-01-01");
    let (_out_tmp, out, _) = build_into(&root);
    let no = group(&out, "training", "no").expect("does-not-apply group");
    assert!(no.contains("Rest of the world"), "{no}");
    assert!(group(&out, "training", "unclear").is_none());
    assert!(group(&out, "training", "new").is_none());
    let in_place = group(&out, "training", "in-place").expect("already in place");
    assert!(in_place.contains("Group of Countries") && in_place.contains("Member Land"));
}

#[test]
fn a_status_marked_not_new_is_already_in_place_on_the_bundled_home_page() {
    let (_tmp, out, _) = build_into(&common::repo());
    let in_place = group(&out, "ai-training", "in-place").expect("already in place");
    for region in [
        "United States",
        "India",
        "Australia",
        "Japan",
        "Rest of the world",
    ] {
        assert!(
            in_place.contains(&format!(">{region}</a>")),
            "{region}: {in_place}"
        );
    }
    assert!(
        group(&out, "ai-training", "applies").is_none(),
        "every applying status says whether it is new"
    );
}
