//! What readers type into the bundled site's country finder, the country the best match is
//! and the guide Enter opens. Shared by `tests/finder.rs` (the Rust ranking) and
//! `tests/browser.rs` (finder.js in Chromium).

const EU: &str = "/regions/eu/";
const EEA: &str = "/regions/eea/";
const UK: &str = "/regions/uk/";
const CH: &str = "/regions/ch/";
const US: &str = "/regions/us/";
const IN: &str = "/regions/in/";
const ELSEWHERE: &str = "/regions/rest-of-world/";

/// (query, alpha-2 code of the best match, its guide's URL).
pub const CASES: &[(&str, &str, &str)] = &[
    // Exact codes first, before names that merely contain them.
    ("US", "US", US),
    ("IN", "IN", IN),
    ("CH", "CH", CH),
    ("BR", "BR", ELSEWHERE),
    ("DE", "DE", EU),
    ("ca", "CA", "/regions/ca/"),
    // Alpha-3 codes.
    ("USA", "US", US),
    ("gbr", "GB", UK),
    ("DEU", "DE", EU),
    // Aliases: CLDR's English alternates and the vendored table.
    ("UK", "GB", UK),
    ("England", "GB", UK),
    ("Scotland", "GB", UK),
    ("wales", "GB", UK),
    ("Northern Ireland", "GB", UK),
    ("Britain", "GB", UK),
    ("great britain", "GB", UK),
    ("America", "US", US),
    ("Holland", "NL", EU),
    ("Ivory Coast", "CI", ELSEWHERE),
    ("czech republic", "CZ", EU),
    ("Turkey", "TR", ELSEWHERE),
    ("swaziland", "SZ", ELSEWHERE),
    // The site's own `aliases:` on a region.
    ("EU", "AT", EU),
    ("eea", "IS", EEA),
    // Endonyms, with and without their accents.
    ("Deutschland", "DE", EU),
    ("Schweiz", "CH", CH),
    ("Suisse", "CH", CH),
    ("Svizzera", "CH", CH),
    ("Brasil", "BR", ELSEWHERE),
    ("Österreich", "AT", EU),
    ("osterreich", "AT", EU),
    ("espana", "ES", EU),
    ("España", "ES", EU),
    ("Nederland", "NL", EU),
    ("Norge", "NO", EEA),
    ("island", "IS", EEA),
    ("Polska", "PL", EU),
    ("Sverige", "SE", EU),
    ("méxico", "MX", ELSEWHERE),
    ("Россия", "RU", ELSEWHERE),
    ("日本", "JP", "/regions/jp/"),
    ("भारत", "IN", IN),
    // English names, any case, prefixes and accents.
    ("united states", "US", US),
    ("gErMaNy", "DE", EU),
    ("ger", "DE", EU),
    ("swit", "CH", CH),
    ("FRANCÉ", "FR", EU),
    ("cote", "CI", ELSEWHERE),
    ("côte d'ivoire", "CI", ELSEWHERE),
    ("  Côte  D’IVOIRE ", "CI", ELSEWHERE),
    ("hong kong", "HK", "/regions/hk/"),
    ("australia", "AU", "/regions/au/"),
    ("united k", "GB", UK),
    ("Liechtenstein", "LI", EEA),
    ("india", "IN", IN),
];
