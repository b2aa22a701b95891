// meshplug site: the language (a `?lang=` link, the reader's choice, else the browser's
// languages) and the plugin filter. Pages are complete without this script; it only hides what
// the reader chose not to see.
(function () {
  "use strict";
  var KEY = "meshplug-lang";
  var root = document.documentElement;
  root.classList.add("js");

  function saved() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }

  function current() {
    return root.classList.contains("lang-zh") ? "zh" : "en";
  }

  // Show one language: a class on <html> hides the other (see site.css); texts that cannot hold
  // both languages (title, options, alt text) are swapped from their data-i18n-* attributes.
  function setLang(lang, remember) {
    root.classList.toggle("lang-en", lang === "en");
    root.classList.toggle("lang-zh", lang === "zh");
    root.lang = lang === "zh" ? "zh-Hans" : "en";
    document.querySelectorAll("[data-i18n-en]").forEach(function (el) {
      var text = el.getAttribute("data-i18n-" + lang);
      if (el.tagName === "IMG") { el.alt = text; } else if (el.id !== "shown") { el.textContent = text; }
    });
    document.querySelectorAll("[data-set-lang]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-set-lang") === lang));
    });
    if (remember) {
      try { localStorage.setItem(KEY, lang); } catch (e) { /* private mode: not remembered */ }
    }
    filter();
  }

  // Hide the cards that do not match every word of the search and the chosen category.
  function filter() {
    var cards = document.querySelectorAll("#cards > .card");
    var q = document.getElementById("q");
    var cat = document.getElementById("category");
    if (!cards.length || !q || !cat) { return; }
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    cards.forEach(function (card) {
      var text = card.getAttribute("data-search");
      var ok = (!cat.value || card.getAttribute("data-category") === cat.value) &&
        words.every(function (w) { return text.indexOf(w) !== -1; });
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var status = document.getElementById("shown");
    status.textContent = status.getAttribute("data-i18n-" + current())
      .replace("{shown}", shown).replace("{total}", cards.length);
    document.getElementById("no-match").hidden = shown !== 0;
  }

  // `?lang=en` or `?lang=zh` in the address: a link that opens the site in one language (and
  // counts as the reader's choice, so the pages it leads to keep it).
  function asked() {
    var m = /[?&]lang=(en|zh)(?:&|#|$)/.exec(location.search);
    return m ? m[1] : null;
  }

  // The reader's languages (navigator.languages, in the order of preference): the first that is
  // English or Chinese.
  function preferred() {
    var langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
    for (var i = 0; i < langs.length; i += 1) {
      var l = String(langs[i]).toLowerCase();
      if (l === "zh" || l.indexOf("zh-") === 0) { return "zh"; }
      if (l === "en" || l.indexOf("en-") === 0) { return "en"; }
    }
    return null;
  }

  // A link's choice, else the reader's earlier choice, else the browser's languages, else the
  // language the site was built in.
  var link = asked();
  if (link) {
    try { localStorage.setItem(KEY, link); } catch (e) { /* private mode: this page only */ }
  }
  var chosen = saved();
  var first = link || (chosen === "en" || chosen === "zh" ? chosen : null) || preferred();
  if (first && first !== current()) {
    root.classList.remove("lang-en", "lang-zh");
    root.classList.add("lang-" + first);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setLang(current(), false);
    document.querySelectorAll("[data-set-lang]").forEach(function (b) {
      b.addEventListener("click", function () { setLang(b.getAttribute("data-set-lang"), true); });
    });
    var form = document.getElementById("plugin-filter");
    if (form) {
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      form.addEventListener("input", filter);
      form.addEventListener("change", filter);
    }
  });
}());
