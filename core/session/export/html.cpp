// HTML export: a JSON data island + a fixed page template (CSS and JS below).
#include "core/session/export/html.h"

#include <iterator>

#include <fmt/format.h>

#include "core/session/json_text.h"
#include "core/session/session_text.h"
#include "core/session/stream_items.h"
#include "core/session/summary.h"
#include "core/tokenizer/display.h"

namespace z2z::session {

namespace {

void append_item(std::string& o, const Session& s, const StreamItem& it) {
  o += "{\"k\":";
  o += std::to_string(static_cast<int>(it.kind));
  fmt::format_to(std::back_inserter(o), ",\"c\":{},\"n\":{},\"x\":", it.code, it.length);
  append_json_string(o, it.text, true);
  o += ",\"u\":[";
  for (std::size_t k = 0; k < it.cuts.size(); ++k)
    fmt::format_to(std::back_inserter(o), "{}{}", k ? "," : "", it.cuts[k]);
  o += "]";
  const int flags = (it.prompt ? 1 : 0) | (it.label ? 2 : 0) | (it.ids_only ? 4 : 0);
  if (flags) fmt::format_to(std::back_inserter(o), ",\"f\":{}", flags);
  if (it.prompt) {
    fmt::format_to(std::back_inserter(o), ",\"s\":-1");
    if (const CodebookEntry* e = s.find_entry(it.code); e && it.length > 1)
      o += ",\"b\":", append_json_ids(o, e->base_ids);
    else
      o += ",\"b\":", append_json_ids(o, std::span<const TokenId>(&it.code, 1));
  } else {
    const StepView v = s.step(it.index);
    fmt::format_to(std::back_inserter(o), ",\"s\":{}", it.index);
    o += ",\"b\":", append_json_ids(o, v.base_ids);
    if (s.info().source == "generate") {
      o += ",\"p\":", append_json_number(o, v.prob);
      if (!v.top.empty()) {
        o += ",\"t\":[";
        for (std::size_t k = 0; k < v.top.size(); ++k) {
          const auto& c = v.top[k];
          if (k) o += ',';
          fmt::format_to(std::back_inserter(o), "[{},", c.id);
          append_json_number(o, c.prob);
          o += ',';
          append_json_string(o, c.text, true);
          o += ',';
          append_json_ids(o, c.base_ids);
          o += ']';
        }
        o += "]";
      }
      if (v.outside_top) o += ",\"o\":1";
    }
  }
  o += "}";
}

const char* kStyle = R"CSS(
:root{--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--bg:#ffffff;--panel:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:14px 20px 8px;border-bottom:1px solid var(--line)}
h1{font-size:18px;margin:0 0 2px}
.sub{color:var(--muted);font-size:13px}
main{display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:18px;padding:14px 20px}
@media (max-width:900px){main{grid-template-columns:1fr}}
section h2{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:0 0 6px}
.legend{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin:6px 0 10px;font-size:12px;color:var(--muted)}
.controls{font-size:12px;color:var(--muted);margin-left:auto}
.stream{font:13px/1.9 "DejaVu Sans Mono",Menlo,Consolas,monospace;word-break:break-word}
.stream.prompt{opacity:.8;border-left:3px solid var(--line);padding-left:8px;margin-bottom:10px}
.tok{display:inline-block;white-space:pre;padding:0 3px;margin:1px 1px;border-radius:4px;border:1px solid transparent;min-width:6px;cursor:default}
.tok.hyper{text-decoration:underline;text-decoration-thickness:2px;text-underline-offset:3px}
.tok.lbl{font-style:italic}
.tok:hover,.tok.hl{outline:2px solid #24292f;outline-offset:0}
.sep{display:inline-block;width:1px;height:1.05em;vertical-align:-2px;margin:0 1px}
.ws{opacity:.55}
table{border-collapse:collapse;width:100%;font-size:12px}
th,td{text-align:left;padding:3px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{cursor:pointer;color:var(--muted);font-weight:600;position:sticky;top:0;background:var(--bg)}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.metrics td:first-child{color:var(--muted)}
.cb{max-height:520px;overflow:auto;border:1px solid var(--line);border-radius:6px}
#card{position:fixed;display:none;z-index:10;max-width:380px;background:#fff;border:1px solid var(--line);border-radius:8px;
 box-shadow:0 6px 24px rgba(0,0,0,.15);padding:10px 12px;font-size:12px;pointer-events:none}
#card .t{font:13px "DejaVu Sans Mono",monospace;white-space:pre-wrap;word-break:break-all;margin:4px 0}
#card .k{color:var(--muted)}
#card table td{border:0;padding:1px 4px}
footer{color:var(--muted);font-size:11px;padding:8px 20px 16px}
)CSS";

const char* kScript = R"JS(
(function(){
const D=JSON.parse(document.getElementById('z2z-data').textContent);
const K=D.kinds;
const ws=document.getElementById('ws');
function glyphs(s){return s.replace(/ /g,'\u00b7').replace(/\t/g,'\u2192').replace(/\r/g,'\u240d').replace(/\n/g,'\u21b5\n');}
function chip(it,i,alt){
  const k=K[it.k];const frag=document.createDocumentFragment();
  const pieces=[];let from=0;for(const c of it.u){pieces.push(it.x.slice(from,c));from=c;}pieces.push(it.x.slice(from));
  const lbl=(it.f||0)&2, ids=(it.f||0)&4;
  let el=null,made=false;const hyper=k.name.startsWith('hyper');
  function open(){el=document.createElement('span');el.className='tok k-'+k.name+(hyper?' hyper':'')+(lbl?' lbl':'');
    el.dataset.i=i;el.style.background=(it.k==0&&alt)?D.base_alt:k.fill;el.style.color=k.text;
    el.style.borderColor=hyper?k.border:(it.k==4?k.border:'transparent');if(it.k==4)el.style.borderStyle='dashed';
    if(hyper)el.style.textDecorationColor=k.border;frag.appendChild(el);made=true;}
  pieces.forEach((p,j)=>{
    if(j>0){if(!el)open();
            if(hyper){const s=document.createElement('span');s.className='sep';s.style.background=k.border;el.appendChild(s);}
            else if(ids)el.appendChild(document.createTextNode(' '));}
    const t=(ws.checked&&!lbl)?glyphs(p):p;
    t.split('\n').forEach((ln,m)=>{if(m>0){if(!el)open();frag.appendChild(document.createElement('br'));el=null;}
      if(ln.length){if(!el)open();el.appendChild(document.createTextNode(ln));}});
  });
  if(!made)open();
  return frag;
}
function render(){
  const ps=document.getElementById('prompt'),st=document.getElementById('stream'),cn=document.getElementById('canon');
  ps.textContent='';st.textContent='';if(cn)cn.textContent='';let alt=false,n=0;
  const fp=document.createDocumentFragment(),fs=document.createDocumentFragment(),fc=document.createDocumentFragment();
  D.items.forEach((it,i)=>{const f=it.f||0;if(it.k==0)alt=!alt;
    if(f&8){fc.appendChild(chip(it,i,alt));return;}
    (f&1?fp:fs).appendChild(chip(it,i,alt));n++;});
  ps.appendChild(fp);st.appendChild(fs);if(cn)cn.appendChild(fc);ps.style.display=fp.childNodes.length||ps.childNodes.length?'':'none';
  document.body.dataset.chips=n;
}
const card=document.getElementById('card');
const entryById=new Map(D.entries.map(e=>[e[0],e]));
function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));}
function show(ev,i){
  const it=D.items[i],k=K[it.k],e=entryById.get(it.c);
  const where=it.s>=0?' <span class="k">step</span> '+it.s:it.s==-1?' <span class="k">(prompt)</span>':' <span class="k">(canonical LZW)</span>';
  let h='<div><b>'+esc(k.label)+'</b> <span class="k">id</span> '+it.c+where+'</div>';
  h+='<div class="t">'+esc(glyphs(it.x))+'</div>';
  if(it.b)h+='<div><span class="k">base ids</span> '+it.b.join(' ')+' <span class="k">('+it.n+')</span></div>';
  else h+='<div><span class="k">base tokens</span> '+it.n+'</div>';
  if(e&&it.s!=-2)h+='<div><span class="k">entry created at</span> '+(e[1]<0?'prompt':'step '+e[1])+' <span class="k">· uses</span> '+e[4]+'</div>';
  if(it.p!==undefined)h+='<div><span class="k">probability</span> '+(100*it.p).toFixed(1)+'%'+(it.o?' <span class="k">(sampled outside top-k)</span>':'')+'</div>';
  if(it.t){h+='<table>';for(const c of it.t){h+='<tr><td class="num">'+(100*c[1]).toFixed(1)+'%</td><td>'+c[0]+'</td><td class="t">'+esc(glyphs(c[2]))+'</td><td class="k">'+(c[3].length>1?'= '+c[3].join(' '):'')+'</td></tr>';}h+='</table>';}
  card.innerHTML=h;card.style.display='block';
  const x=Math.min(ev.clientX+14,window.innerWidth-card.offsetWidth-8),y=Math.min(ev.clientY+14,window.innerHeight-card.offsetHeight-8);
  card.style.left=x+'px';card.style.top=y+'px';
}
document.addEventListener('mousemove',ev=>{const t=ev.target.closest&&ev.target.closest('.tok');
  document.querySelectorAll('.tok.hl').forEach(x=>x.classList.remove('hl'));
  if(t&&t.dataset.i!==undefined){document.querySelectorAll('.tok[data-i="'+t.dataset.i+'"]').forEach(x=>x.classList.add('hl'));show(ev,+t.dataset.i);}
  else card.style.display='none';});
ws.addEventListener('change',render);
// #card=N opens the hover card of chip N (links into a talk's handout, and tests).
function fromHash(){const m=location.hash.match(/card=(\d+)/);if(!m)return;
  const el=document.querySelector('.tok[data-i="'+m[1]+'"]');if(!el)return;
  el.scrollIntoView({block:'center'});const r=el.getBoundingClientRect();
  document.querySelectorAll('.tok[data-i="'+m[1]+'"]').forEach(x=>x.classList.add('hl'));show({clientX:r.left,clientY:r.bottom},+m[1]);}
document.querySelectorAll('th[data-col]').forEach(th=>th.addEventListener('click',()=>{
  const tb=th.closest('table').tBodies[0],c=+th.dataset.col,num=th.dataset.num==='1';
  const dir=th.dataset.dir==='a'?'d':'a';th.dataset.dir=dir;
  const rows=[...tb.rows].sort((a,b)=>{const x=a.cells[c].dataset.v??a.cells[c].textContent,y=b.cells[c].dataset.v??b.cells[c].textContent;
    const r=num?(+x)-(+y):x.localeCompare(y);return dir==='a'?r:-r;});rows.forEach(r=>tb.appendChild(r));}));
render();
fromHash();
window.addEventListener('hashchange',fromHash);
})();
)JS";

std::string html_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

}  // namespace

std::string session_html(const Session& s, std::int64_t t, const HtmlOptions& opt) {
  t = std::clamp<std::int64_t>(t, 0, s.steps());
  const auto items = stream_items(s, t);
  const auto rows = s.codebook(t);
  std::string data = "{\"kinds\":[";
  for (std::size_t k = 0; k < std::size(kAllKinds); ++k) {
    const auto& st = style_of(kAllKinds[k]);
    fmt::format_to(std::back_inserter(data),
                   "{}{{\"name\":\"{}\",\"label\":\"{}\",\"fill\":\"{}\",\"border\":\"{}\",\"text\":\"{}\"}}",
                   k ? "," : "", st.name, st.label, st.fill.hex(), st.border.hex(), st.text.hex());
  }
  fmt::format_to(std::back_inserter(data), "],\"base_alt\":\"{}\",\"step\":{},\"steps\":{},\"items\":[\n",
                 base_alt_fill().hex(), t, s.steps());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) data += ",\n";
    append_item(data, s, items[i]);
  }
  // Theory vs actual (generated sessions, full stream): the canonical LZW codes of the same base ids.
  std::vector<StreamItem> canon;
  if (s.info().source == "generate" && t == s.steps()) canon = canonical_items(s);
  for (const auto& it : canon) {
    data += ",\n{\"k\":";
    fmt::format_to(std::back_inserter(data), "{},\"c\":{},\"n\":{},\"x\":", static_cast<int>(it.kind), it.code,
                   it.length);
    append_json_string(data, it.text, true);
    data += ",\"u\":[";
    for (std::size_t k = 0; k < it.cuts.size(); ++k)
      fmt::format_to(std::back_inserter(data), "{}{}", k ? "," : "", it.cuts[k]);
    fmt::format_to(std::back_inserter(data), "],\"f\":{},\"s\":-2}}", 8 | (it.ids_only ? 4 : 0));
  }
  data += "],\"entries\":[\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CodebookEntry& e = *rows[i].entry;
    fmt::format_to(std::back_inserter(data), "{}[{},{},", i ? ",\n" : "", e.id, e.created_step);
    append_json_string(data, e.text, true);
    data += ',';
    append_json_ids(data, e.base_ids);
    fmt::format_to(std::back_inserter(data), ",{},{}]", rows[i].uses, rows[i].last_use);
  }
  data += "]}";

  std::string o;
  o.reserve(data.size() * 2 + 16384);
  o += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  o += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n";
  o += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'\">\n";
  fmt::format_to(std::back_inserter(o), "<title>{}</title>\n<style>{}", html_escape(opt.title), kStyle);
  for (ChipKind k : kAllKinds) {
    const auto& st = style_of(k);
    fmt::format_to(std::back_inserter(o), ".lg-{0}{{background:{1};color:{2};border-color:{3}}}\n", st.name,
                   st.fill.hex(), st.text.hex(), st.border.hex());
  }
  o += "</style></head>\n<body data-chips=\"0\">\n<header>\n";
  fmt::format_to(std::back_inserter(o), "<h1>{}</h1>\n<div class=\"sub\">{} · {} · step {} of {}</div>\n</header>\n",
                 html_escape(opt.title), html_escape(run_title(s)), html_escape(run_settings(s)), t, s.steps());
  o += "<main>\n<div>\n<div class=\"legend\">";
  for (ChipKind k : kAllKinds) {
    const auto& st = style_of(k);
    const bool hyper = is_hyper_kind(k);
    fmt::format_to(std::back_inserter(o), "<span class=\"tok lg-{}{}\"{}>{}</span>", st.name, hyper ? " hyper" : "",
                   hyper ? fmt::format(" style=\"text-decoration-color:{}\"", st.border.hex()) : std::string(),
                   html_escape(st.label));
  }
  o += "<span>underline and thin bars mark hypertokens and their base-token boundaries</span>";
  fmt::format_to(std::back_inserter(o),
                 "<label class=\"controls\"><input type=\"checkbox\" id=\"ws\"{}> show whitespace</label></div>\n",
                 opt.visible_whitespace ? " checked" : "");
  o += "<section><div id=\"prompt\" class=\"stream prompt\" title=\"prompt\"></div><div id=\"stream\" "
       "class=\"stream\"></div>\n";
  o += "<noscript>This page builds its token view with JavaScript.</noscript></section>\n";
  if (!canon.empty()) {
    const TheoryVsActual tv = theory_vs_actual(s);
    fmt::format_to(
        std::back_inserter(o),
        "<section style=\"margin-top:14px\"><h2>Theory: canonical LZW of the same base ids</h2>"
        "<div class=\"sub\">{} canonical codes vs {} emitted (prompt + output) · rate {:.3f} vs {:.3f}{}</div>"
        "<div id=\"canon\" class=\"stream\"></div></section>\n",
        tv.canonical_codes, tv.actual_codes, tv.canonical_rate(), tv.actual_rate(),
        tv.first_difference < 0 ? std::string(" · identical streams")
                                : fmt::format(" · first difference at code {}", tv.first_difference));
  }
  o += "</div>\n<aside>\n";
  o += "<section><h2>Numbers</h2><table class=\"metrics\"><tbody>\n";
  for (const auto& r : metric_rows(s, t))
    fmt::format_to(std::back_inserter(o), "<tr><td>{}</td><td class=\"num\">{}</td></tr>\n", html_escape(r.label),
                   html_escape(r.value));
  o += "</tbody></table></section>\n</aside>\n</main>\n";
  fmt::format_to(
      std::back_inserter(o),
      "<section style=\"padding:0 20px 10px\"><h2>Codebook at step {} ({} entries)</h2><div class=\"cb\"><table "
      "id=\"codebook\">"
      "<thead><tr><th data-col=\"0\" data-num=\"1\">id</th><th data-col=\"1\">text</th><th data-col=\"2\">base ids</th>"
      "<th data-col=\"3\" data-num=\"1\">length</th><th data-col=\"4\" data-num=\"1\">created</th>"
      "<th data-col=\"5\" data-num=\"1\">uses</th><th data-col=\"6\" data-num=\"1\">last "
      "use</th></tr></thead><tbody>\n",
      t, rows.size());
  for (const auto& r : rows) {
    const CodebookEntry& e = *r.entry;
    const auto& st = style_of(chip_kind(true, false, e.base_ids.size()));
    std::string ids;
    for (std::size_t k = 0; k < e.base_ids.size(); ++k)
      fmt::format_to(std::back_inserter(ids), "{}{}", k ? " " : "", e.base_ids[k]);
    fmt::format_to(
        std::back_inserter(o),
        "<tr><td class=\"num\">{}</td><td><span class=\"tok hyper lg-{}\" "
        "style=\"text-decoration-color:{}\">{}</span></td>"
        "<td>{}</td><td class=\"num\">{}</td><td class=\"num\" data-v=\"{}\">{}</td><td class=\"num\">{}</td>"
        "<td class=\"num\" data-v=\"{}\">{}</td></tr>\n",
        e.id, st.name, st.border.hex(), html_escape(e.text.empty() ? ids : tok::visible_whitespace(e.text)), ids, e.base_ids.size(),
        e.created_step, e.created_step < 0 ? std::string("prompt") : std::to_string(e.created_step), r.uses, r.last_use,
        r.last_use == EntryState::kNever ? std::string("–")
        : r.last_use < 0                 ? std::string("prompt")
                                         : std::to_string(r.last_use));
  }
  o += "</tbody></table></div></section>\n";
  fmt::format_to(std::back_inserter(o), "<footer>zip2zip studio {} · exported {} · session created {}</footer>\n",
                 Z2Z_VERSION, utc_now_iso8601(), html_escape(s.info().created));
  o += "<div id=\"card\"></div>\n<script type=\"application/json\" id=\"z2z-data\">";
  o += data;
  o += "</script>\n<script>";
  o += kScript;
  o += "</script>\n</body></html>\n";
  return o;
}

}  // namespace z2z::session
