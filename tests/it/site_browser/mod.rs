//! The example's site in a real headless Chromium (Debian package `chromium`): cards listed with
//! and without JavaScript, keyboard to the filter, text and category filtering, the language
//! switch remembered across pages, `?lang=` links and the browser's languages, the traffic page's
//! layout, a plugin page opened by clicking its card, no script errors,
//! no network. Screenshots at 360 and 1440 px go to `target/site-screenshots/`.

mod chromium;

use crate::support::*;
use chromium::Browser;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// Where the screenshots are kept for people to look at: `target/site-screenshots/`.
fn screenshot_dir() -> PathBuf {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(&tmp).join("site-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.display())
}

const VISIBLE_CARDS: &str = "[...document.querySelectorAll('#cards > .card')].filter(c => c.offsetParent !== null).map(c => c.querySelector('code').textContent)";

/// The card of one plugin of the example (the first card is whichever name sorts first).
const AI_CARD: &str = "#cards .card:has(a[href='plugins/ai-data-masking.html'])";

fn visible_cards(b: &mut Browser) -> Vec<String> {
    serde_json::from_value(b.eval(VISIBLE_CARDS)).expect("card names")
}

#[test]
fn the_site_works_in_chromium() {
    let chromium = require_tool("chromium", "apt-get install -y chromium");
    let (dir, repo) = example_copy();
    let out = dir.path().join("site");
    meshplug()
        .arg("site")
        .arg(&repo)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let shots = screenshot_dir();
    let mut taken = Vec::new();
    let mut b = Browser::launch(&chromium);
    let index = file_url(&out.join("index.html"));

    // Every card is there, in English, and the script has run.
    b.open(&index);
    let all = visible_cards(&mut b);
    assert_eq!(all.len(), 15, "{all:?}");
    assert_eq!(
        b.eval("document.documentElement.className"),
        json!("lang-en js")
    );
    assert_eq!(
        b.eval("document.getElementById('shown').textContent"),
        json!("15 of 15 plugins shown")
    );
    assert_eq!(
        b.eval("getComputedStyle(document.querySelector('#cards h2 .zh')).display"),
        json!("none")
    );
    assert_eq!(
        b.eval(&format!("document.querySelector(\"{AI_CARD} img\").alt")),
        json!("AI Data Masking icon")
    );
    taken.push(b.screenshot(1440, &shots.join("index-1440-en.png")));

    // The keyboard reaches the search box; typing filters the cards.
    let mut tabs = 0;
    while b.eval("document.activeElement && document.activeElement.id") != json!("q") {
        assert!(tabs < 20, "Tab never reached the search box");
        b.key("Tab", 9);
        tabs += 1;
    }
    b.type_text("jwt");
    b.wait_for("document.getElementById('shown').textContent === '2 of 15 plugins shown'");
    assert_eq!(visible_cards(&mut b), ["jwt-auth", "openid-connect"]);
    taken.push(b.screenshot(1440, &shots.join("index-1440-filtered-jwt.png")));

    // Category and text together; nothing left says so.
    b.eval("(() => { const q = document.getElementById('q'); q.value = ''; q.dispatchEvent(new Event('input', {bubbles: true})); const c = document.getElementById('category'); c.value = 'security'; c.dispatchEvent(new Event('change', {bubbles: true})); })()");
    assert_eq!(
        visible_cards(&mut b),
        ["ai-data-masking", "bot-detect", "cors", "request-block"]
    );
    b.click("#q");
    b.type_text("no such plugin");
    b.wait_for("!document.getElementById('no-match').hidden");
    assert_eq!(visible_cards(&mut b).len(), 0);
    b.eval("(() => { const q = document.getElementById('q'); q.value = ''; const c = document.getElementById('category'); c.value = ''; c.dispatchEvent(new Event('change', {bubbles: true})); })()");
    assert_eq!(visible_cards(&mut b).len(), 15);

    // The language switch: everything visible turns Chinese, and the choice is remembered.
    b.click("button[data-set-lang=zh]");
    b.wait_for("document.documentElement.lang === 'zh-Hans'");
    let state = b.eval(&format!("({{title: document.title, card: document.querySelector(\"{AI_CARD} h2 a\").innerText, option: document.querySelector('#category option').textContent, shown: document.getElementById('shown').textContent, alt: document.querySelector(\"{AI_CARD} img\").alt, pressed: document.querySelector('button[data-set-lang=zh]').getAttribute('aria-pressed'), stored: localStorage.getItem('meshplug-lang')}})"));
    assert_eq!(
        state,
        json!({"title": "插件 · bookinfo", "card": "AI 数据脱敏", "option": "全部分类",
               "shown": "显示 15 / 15 个插件", "alt": "AI 数据脱敏 图标", "pressed": "true", "stored": "zh"})
    );
    taken.push(b.screenshot(360, &shots.join("index-360-zh.png")));

    // Clicking a card opens its page, still in Chinese.
    b.click("a[href='plugins/key-auth.html']");
    b.wait_for(
        "location.href.endsWith('/plugins/key-auth.html') && document.readyState === 'complete'",
    );
    let page = b.eval("({h1: document.querySelector('h1').innerText, lang: document.documentElement.lang, fields: document.querySelectorAll('table.schema tbody tr').length, versions: document.querySelectorAll('#versions + .table-wrap tbody tr').length, bind: document.querySelector('#use-cmd + pre').innerText})");
    assert_eq!(page["h1"], "Key 认证");
    assert_eq!(page["lang"], "zh-Hans");
    assert_eq!(page["versions"], 2);
    assert!(page["fields"].as_u64().unwrap_or(0) >= 10, "{page}");
    assert_eq!(
        page["bind"],
        "meshplug bind NAMESPACE/SERVICE key-auth --config key-auth-config.yaml"
    );
    taken.push(b.screenshot(1440, &shots.join("plugin-key-auth-1440-zh.png")));

    // Back to English with the keyboard; a reload keeps it.
    b.eval("document.querySelector('button[data-set-lang=en]').focus()");
    b.key("Enter", 13);
    b.wait_for("document.documentElement.lang === 'en'");
    b.eval("window.beforeReload = true");
    b.call("Page.reload", json!({}));
    b.wait_for("!window.beforeReload && document.readyState === 'complete' && document.querySelector('h1').innerText === 'Key Auth'");
    assert_eq!(b.eval("localStorage.getItem('meshplug-lang')"), json!("en"));
    taken.push(b.screenshot(360, &shots.join("plugin-key-auth-360-en.png")));

    // Traffic matrix and a service's chain.
    b.open(&file_url(&out.join("traffic/prod-east.html")));
    assert_eq!(
        b.eval("document.querySelectorAll('table.matrix tbody tr').length"),
        json!(8)
    );
    assert_eq!(
        b.eval("document.querySelectorAll('table.matrix thead th').length"),
        json!(13)
    );
    taken.push(b.screenshot(1440, &shots.join("traffic-prod-east-1440.png")));
    taken.push(b.screenshot(360, &shots.join("traffic-prod-east-360.png")));
    b.open(&file_url(&out.join("services/bookinfo/productpage.html")));
    let chain: Vec<String> = serde_json::from_value(b.eval(
        "[...document.querySelectorAll('#chain-prod-east ~ .table-wrap tbody tr th')].map(t => t.querySelector('code').textContent)",
    ))
    .expect("chain names");
    assert_eq!(
        chain,
        [
            "ext_authz",
            "key-auth",
            "jwt_authn, istio_authn",
            "cors",
            "bot-detect",
            "rbac",
            "istio.stats",
            "router"
        ]
    );
    taken.push(b.screenshot(360, &shots.join("service-productpage-360.png")));
    taken.push(b.screenshot(1440, &shots.join("service-productpage-1440.png")));

    // The traffic page has the layout of the other pages: the same header bar, main column and
    // footer (its wide matrix scrolls inside its own box).
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1600, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
    );
    const LAYOUT: &str = "(() => { const r = s => { const b = document.querySelector(s).getBoundingClientRect(); return [Math.round(b.left), Math.round(b.width)]; }; return {bar: r('header .bar'), main: r('main'), footer: r('footer'), class: document.querySelector('main').className}; })()";
    b.open(&index);
    let index_layout = b.eval(LAYOUT);
    for page in ["plugins/key-auth.html", "traffic/prod-east.html"] {
        b.open(&file_url(&out.join(page)));
        assert_eq!(b.eval(LAYOUT), index_layout, "{page}");
    }
    assert!(
        index_layout["main"][1].as_i64().unwrap_or(0) < 1600,
        "{index_layout}"
    );
    assert_eq!(
        b.eval("(() => { const w = document.querySelector('table.matrix').closest('.table-wrap'); return getComputedStyle(w).overflowX; })()"),
        json!("auto")
    );
    b.call("Emulation.clearDeviceMetricsOverride", json!({}));

    // A `?lang=zh` link opens the site in Chinese, whatever was chosen before, and the pages it
    // leads to stay Chinese.
    assert_eq!(b.eval("localStorage.getItem('meshplug-lang')"), json!("en"));
    b.open(&format!("{index}?lang=zh"));
    assert_eq!(b.eval("document.documentElement.lang"), json!("zh-Hans"));
    b.click("a[href='plugins/key-auth.html']");
    b.wait_for(
        "location.href.endsWith('/plugins/key-auth.html') && document.readyState === 'complete'",
    );
    assert_eq!(b.eval("document.documentElement.lang"), json!("zh-Hans"));
    b.open(&format!("{index}?lang=en"));
    assert_eq!(b.eval("document.documentElement.lang"), json!("en"));

    // With no choice made, the browser's languages decide (here Chinese first), until the
    // reader picks one.
    b.eval("localStorage.removeItem('meshplug-lang')");
    b.call(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "Object.defineProperty(navigator, 'languages', {get: () => ['zh-TW', 'en-US']});"}),
    );
    b.open(&file_url(&out.join("traffic/prod-east.html")));
    assert_eq!(
        b.eval(
            "({lang: document.documentElement.lang, stored: localStorage.getItem('meshplug-lang')})"
        ),
        json!({"lang": "zh-Hans", "stored": null})
    );
    b.click("button[data-set-lang=en]");
    b.wait_for("document.documentElement.lang === 'en'");
    b.open(&index);
    assert_eq!(b.eval("document.documentElement.lang"), json!("en"));

    // Without the site's script (a copy whose site.js is empty) every card is still listed, in
    // the default language, and the controls that need the script are hidden.
    let nojs = dir.path().join("site-nojs");
    copy_tree(&out, &nojs);
    std::fs::write(nojs.join("assets/site.js"), "").expect("blank site.js");
    b.open(&file_url(&nojs.join("index.html")));
    assert_eq!(
        b.eval("document.documentElement.className"),
        json!("lang-en")
    );
    assert_eq!(visible_cards(&mut b).len(), 15);
    assert_eq!(
        b.eval("getComputedStyle(document.getElementById('plugin-filter')).display"),
        json!("none")
    );
    taken.push(b.screenshot(360, &shots.join("index-360-nojs.png")));

    // No script errors, and nothing was fetched from anywhere but the site's own files.
    let errors: Vec<&Value> = b.events_of("Runtime.exceptionThrown");
    assert!(errors.is_empty(), "script errors: {errors:?}");
    let remote: Vec<String> = b
        .events_of("Network.requestWillBeSent")
        .iter()
        .filter_map(|e| e["params"]["request"]["url"].as_str())
        .filter(|u| !u.starts_with("file://") && !u.starts_with("data:") && *u != "about:blank")
        .map(str::to_string)
        .collect();
    assert!(remote.is_empty(), "requests left the site: {remote:?}");
    assert!(
        !b.events_of("Network.requestWillBeSent").is_empty(),
        "network events were recorded"
    );

    for shot in &taken {
        let bytes = std::fs::read(shot).expect("screenshot written");
        assert!(
            bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000,
            "{}",
            shot.display()
        );
    }
    eprintln!(
        "screenshots:\n  {}",
        taken
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}
