// The rehearsal page: counts, sections and moves follow the audio; loop, slow down, count in.
// Show time t is 0 at the first beat of bar 1; the audio file's time is t + D.lead_s.
(() => {
  "use strict";
  const D = JSON.parse(document.getElementById("show-data").textContent);
  const $ = (id) => document.getElementById(id);
  const audio = $("audio");
  const EPS = 1e-4;
  const FLASH_S = 0.25;
  const state = { pos: 0, playing: false, countIn: null, loopMode: "off", loop: null, dancer: "", ctx: null, frame: 0 };

  // -- lookups ------------------------------------------------------------------------------
  function last(rows, t, key) {  // index of the last row whose key <= t, or -1
    let lo = 0, hi = rows.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (key(rows[mid]) <= t + EPS) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }
  const beatAt = (t) => D.beats[Math.max(last(D.beats, t, (b) => b[0]), 0)];
  const sectionAt = (t) => last(D.sections, t, (s) => s.start);
  const eights = D.beats.filter((b) => b[1] >= 0 && b[3] === 1);
  function beatLength(t) {
    const i = Math.max(last(D.beats, t, (b) => b[0]), 0);
    const a = D.beats[Math.min(i, D.beats.length - 2)], b = D.beats[Math.min(i, D.beats.length - 2) + 1];
    return b ? b[0] - a[0] : 0.5;
  }
  function clock(t) {
    const s = Math.max(t, 0), m = Math.floor(s / 60), r = s - 60 * m;
    return (t < 0 ? "-" : "") + m + ":" + r.toFixed(1).padStart(4, "0");
  }

  // -- building the page --------------------------------------------------------------------
  $("title").textContent = D.title;
  document.title = D.title + " · rehearsal";
  const lanes = D.dancers.map((d) => {
    const lane = document.createElement("div");
    lane.className = "lane";
    lane.dataset.dancer = d.name;
    const who = document.createElement("div"); who.className = "who"; who.textContent = d.name;
    const move = document.createElement("div"); move.className = "move";
    move.setAttribute("data-testid", "move-" + d.name);
    const next = document.createElement("div"); next.className = "upnext";
    lane.append(who, move, next);
    $("lanes").append(lane);
    const option = document.createElement("option"); option.value = d.name; option.textContent = d.name;
    $("dancer").append(option);
    return { d, lane, move, next };
  });
  $("dancer").prepend(new Option("everyone", ""));
  const stripButtons = [];
  D.sections.forEach((s, i) => {
    const group = document.createElement("div"); group.className = "group";
    const label = document.createElement("div"); label.className = "label";
    label.textContent = (i + 1) + ". " + s.name + " (" + s.mood + ")";
    group.append(label);
    eights.filter((b) => b[1] === i).forEach((b) => {
      const button = document.createElement("button");
      button.type = "button"; button.textContent = b[2];
      button.title = s.name + ", 8-count " + b[2] + " (bar " + b[4] + ")";
      button.addEventListener("click", () => seek(b[0]));
      group.append(button);
      stripButtons.push({ button, t: b[0] });
    });
    $("strip").append(group);
  });

  // -- drawing ------------------------------------------------------------------------------
  function draw(t) {
    const beat = beatAt(t), si = sectionAt(t);
    const counting = state.countIn !== null;
    if (!counting) {
      $("count").textContent = beat[3];
      $("count").classList.toggle("counting", beat[1] < 0);
    }
    const hit = D.hits[last(D.hits, t, (h) => h)];
    $("count").classList.toggle("hit", hit !== undefined && t - hit < FLASH_S);
    $("eight").textContent = beat[1] < 0 ? "count-in" : "8-count " + beat[2] + " / " + D.sections[beat[1]].eight_counts;
    $("time").textContent = clock(t) + " · bar " + (beat[4] || "–");
    const sec = D.sections[Math.max(si, 0)], next = D.sections[si + 1];
    $("section").textContent = si < 0 ? "Count-in" : sec.name;
    $("mood").textContent = si < 0 ? "" : sec.mood + " · " + sec.formation;
    $("next-section").textContent = si < 0 ? "next: " + sec.name : next ? "next: " + next.name + " (" + next.mood + ")" : "last section";
    const cue = D.music[last(D.music, t, (m) => m[0])];
    $("music").textContent = cue && t - cue[0] < 2 * beatLength(t) ? cue[1] : "";
    for (const { d, lane, move, next: upnext } of lanes) {
      const i = last(d.moves, t, (m) => m[0]);
      const now = i >= 0 && t < d.moves[i][1] - EPS ? d.moves[i] : null;
      const coming = d.moves[i + 1];
      move.textContent = now ? now[2] : "—";
      lane.classList.toggle("resting", !now);
      lane.style.setProperty("--cat", now ? D.colours[now[3]] || "" : "");
      upnext.textContent = !coming ? "" : "next: " + coming[2] + " · 8-count " + coming[6] + ", count " + coming[7]
        + (coming[5] !== beat[1] ? " of " + D.sections[coming[5]].name : "");
      lane.classList.toggle("flash", !!(now && now[4] !== null && t >= now[4] - EPS && t - now[4] < FLASH_S));
    }
    const e = last(stripButtons, t, (b) => b.t);
    stripButtons.forEach((b, k) => {
      b.button.classList.toggle("now", k === e);
      b.button.classList.toggle("looped", !!state.loop && b.t >= state.loop[0] - EPS && b.t < state.loop[1] - EPS);
    });
  }

  // -- time and transport -------------------------------------------------------------------
  const time = () => (state.playing ? audio.currentTime - D.lead_s : state.pos);
  function seek(t) {
    t = Math.min(Math.max(Number(t) || 0, -D.lead_s), D.length_s);
    state.pos = t;
    try { audio.currentTime = t + D.lead_s; } catch (err) { /* no media yet: the position is kept in state.pos */ }
    draw(t);
  }
  function setStatus(text) { $("status").textContent = text; }
  function frame() {
    state.frame = 0;
    if (!state.playing) return;
    const t = audio.currentTime - D.lead_s;
    if (state.loop && t >= state.loop[1] - 0.02) { wrap(); return; }
    draw(t);
    animate();
  }
  function animate() {  // one chain of animation frames at a time
    if (!state.frame) state.frame = requestAnimationFrame(frame);
  }
  function start() {
    state.countIn = null;
    state.playing = true;
    audio.muted = false;
    $("play").textContent = "❚❚ pause";
    audio.playbackRate = rate();
    const playing = audio.play();
    if (playing && playing.catch) playing.catch((err) => { stop(); setStatus("cannot play the audio (" + D.audio + "): " + err.message); });
    animate();
  }
  function stop() {
    if (state.countIn) { state.countIn.timers.forEach(clearTimeout); state.countIn = null; }
    if (state.playing) state.pos = audio.currentTime - D.lead_s;
    state.playing = false;
    audio.pause();
    $("play").textContent = "▶ play";
    draw(state.pos);
  }
  function click(at, loud) {
    const ctx = state.ctx;
    if (!ctx) return;
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.frequency.value = loud ? 1568 : 1046;
    gain.gain.setValueAtTime(0.6, at);
    gain.gain.exponentialRampToValueAtTime(0.001, at + 0.06);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at); osc.stop(at + 0.07);
  }
  function countIn() {  // one bar (at least 4 beats) of clicks at the speed chosen, counting "5, 6, 7, 8"
    const t = state.pos, si = Math.max(sectionAt(t), 0);
    const perBar = D.sections[si].beats_per_bar, n = perBar * Math.ceil(4 / perBar);
    const beat = beatLength(t) / rate();
    if (!state.ctx && (window.AudioContext || window.webkitAudioContext)) {
      state.ctx = new (window.AudioContext || window.webkitAudioContext)();
    }
    if (state.ctx && state.ctx.state === "suspended") state.ctx.resume();
    const t0 = state.ctx ? state.ctx.currentTime + 0.05 : 0;
    const timers = [];
    for (let i = 0; i < n; i++) {
      click(t0 + i * beat, i % perBar === 0);
      timers.push(setTimeout(() => {
        $("count").textContent = (((8 - n + i) % 8) + 8) % 8 + 1;
        $("count").classList.add("counting");
      }, 50 + i * beat * 1000));
    }
    timers.push(setTimeout(() => { $("count").classList.remove("counting"); start(); }, 50 + n * beat * 1000));
    state.countIn = { timers };
    $("play").textContent = "❚❚ pause";
  }
  let unlocked = false;
  function unlock() {  // Safari lets an element play later only once it has played inside a key press or click
    if (unlocked) return;
    unlocked = true;
    audio.muted = true;
    const started = audio.play();
    const back = () => {
      audio.muted = false;
      if (!state.playing) { audio.pause(); try { audio.currentTime = state.pos + D.lead_s; } catch (err) { /* no media */ } }
    };
    if (started && started.then) started.then(back, back); else back();
  }
  function play() {
    if (state.playing || state.countIn) return;
    setStatus("");
    unlock();
    if (state.pos >= D.length_s - EPS) seek(state.loop ? state.loop[0] : 0);
    if ($("countin").checked && state.pos >= 0) countIn(); else start();
  }
  function wrap() {
    audio.pause();
    state.playing = false;
    seek(state.loop[0]);
    if ($("countin").checked) countIn(); else start();
  }
  audio.addEventListener("ended", () => { if (state.playing) { stop(); seek(D.length_s); } });
  audio.addEventListener("timeupdate", () => {  // keeps loops going where animation frames are throttled
    if (state.playing && state.loop && audio.currentTime - D.lead_s >= state.loop[1] - 0.02) wrap();
  });
  audio.addEventListener("error", () => setStatus("the audio " + D.audio + " could not be loaded: it belongs beside this page (sequencer render -f html)"));

  // -- loop, speed, dancer ------------------------------------------------------------------
  function setLoop(mode, t) {
    state.loopMode = mode;
    if (mode === "eight") {
      const i = Math.max(last(eights, t, (b) => b[0]), 0), b = eights[i];
      const sec = D.sections[b[1]];
      state.loop = [b[0], eights[i + 1] && eights[i + 1][1] === b[1] ? eights[i + 1][0] : sec.end];
    } else if (mode === "section") {
      const s = D.sections[Math.max(sectionAt(t), 0)];
      state.loop = [s.start, s.end];
    } else {
      state.loop = null;
    }
    $("loop").textContent = "loop: " + { off: "off", eight: "8-count", section: "section" }[mode];
    draw(time());
  }
  function cycleLoop() {
    setLoop({ off: "eight", eight: "section", section: "off" }[state.loopMode], time());
  }
  function loop(index) {
    const s = D.sections[index];
    if (!s) throw new RangeError("no section " + index + "; sections are 0-" + (D.sections.length - 1));
    seek(s.start);
    setLoop("section", s.start);
  }
  const rate = () => Number($("speed").value);
  function setRate(value) {
    $("speed").value = Math.min(Math.max(value, 0.5), 1);
    audio.playbackRate = rate();
    audio.preservesPitch = true;
    audio.mozPreservesPitch = true;
    audio.webkitPreservesPitch = true;
    $("speed-text").textContent = Math.round(rate() * 100) + " %";
  }
  $("speed").addEventListener("input", () => setRate(rate()));
  function showDancer(name) {
    state.dancer = lanes.some((l) => l.d.name === name) ? name : "";
    $("dancer").value = state.dancer;
    for (const { d, lane } of lanes) {
      lane.hidden = !!state.dancer && d.name !== state.dancer;
      lane.classList.toggle("solo", d.name === state.dancer);
    }
    remember();
  }
  $("dancer").addEventListener("change", () => showDancer($("dancer").value));

  // -- the address keeps the dancer (and, across a reload, the place and speed) ---------------
  function readHash() {
    const out = {};
    for (const part of location.hash.replace(/^#/, "").split("&")) {
      const k = part.indexOf("=");
      if (k > 0) out[decodeURIComponent(part.slice(0, k))] = decodeURIComponent(part.slice(k + 1));
    }
    return out;
  }
  function remember(extra) {
    const parts = state.dancer ? ["dancer=" + encodeURIComponent(state.dancer)] : [];
    for (const [k, v] of Object.entries(extra || {})) parts.push(k + "=" + encodeURIComponent(v));
    history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search);
  }
  window.addEventListener("hashchange", () => showDancer(readHash().dancer || ""));

  // -- reload when `sequencer watch` writes a new page ---------------------------------------
  let polling = true, stale = "";  // stale: a stamp already reloaded for (the page beside it is older)
  window.rehearsalStamp = (stamp) => {
    if (stamp === D.stamp || stamp === stale) return;
    polling = false;
    remember({ t: time().toFixed(3), speed: rate(), loop: state.loopMode, stale: stamp });
    location.reload();
  };
  function poll() {
    if (!polling) return;
    const script = document.createElement("script");
    script.src = D.stamp_file + "?" + Date.now();
    script.onload = () => { script.remove(); setTimeout(poll, 1000); };
    script.onerror = () => { script.remove(); polling = false; };
    document.head.append(script);
  }

  // -- keys ---------------------------------------------------------------------------------
  function jumpEight(step) {
    const i = last(eights, time(), (b) => b[0]) + step;
    if (eights[Math.min(Math.max(i, 0), eights.length - 1)]) seek(eights[Math.min(Math.max(i, 0), eights.length - 1)][0]);
  }
  function jumpSection(step) {
    const i = Math.min(Math.max(sectionAt(time()) + step, 0), D.sections.length - 1);
    seek(D.sections[i].start);
  }
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.tagName === "SELECT" && !["Space", "KeyL", "KeyC"].includes(event.code)) return;
    const keys = {
      Space: () => (state.playing || state.countIn ? stop() : play()),
      KeyL: cycleLoop, KeyC: () => { $("countin").checked = !$("countin").checked; },
      ArrowLeft: () => jumpEight(-1), ArrowRight: () => jumpEight(1),
      ArrowUp: () => jumpSection(-1), ArrowDown: () => jumpSection(1),
      BracketLeft: () => setRate(rate() - 0.05), BracketRight: () => setRate(rate() + 0.05),
      KeyD: () => {
        const names = ["", ...lanes.map((l) => l.d.name)];
        showDancer(names[(names.indexOf(state.dancer) + 1) % names.length]);
      },
      Home: () => seek(0),
    };
    const action = keys[event.code];
    if (!action) return;
    event.preventDefault();
    action();
  });
  $("play").addEventListener("click", () => (state.playing || state.countIn ? stop() : play()));
  $("loop").addEventListener("click", cycleLoop);

  // -- start --------------------------------------------------------------------------------
  window.rehearsal = {
    seek, loop, time,
    play, pause: stop,
    state: () => (state.countIn ? "counting-in" : state.playing ? "playing" : "paused"),
    data: D,
  };
  const saved = readHash();
  stale = saved.stale || "";
  audio.src = D.audio;
  if (!audio.canPlayType('audio/ogg; codecs="vorbis"')) {
    setStatus("this browser cannot play Ogg Vorbis (" + D.audio + "): open the page in Chrome or Firefox");
  }
  setRate(Number(saved.speed) || 1);
  showDancer(saved.dancer || "");
  seek(Number(saved.t) || 0);
  if (saved.loop && saved.loop !== "off") setLoop(saved.loop, state.pos);
  poll();
})();
