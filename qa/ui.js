// The chat's behaviour in the browser, run once when the conversation component loads (Gradio's
// js_on_load: `element` is the component, `watch` calls back after each new value is drawn).
// - The chat fills the window below the header: the conversation scrolls inside its own area and
//   the question box stays in view, whatever the title's height.
// - A click on [n] shows that source in the side panel (or, on a phone, scrolls the conversation to
//   its card) without scrolling the page, so the header never moves away.
// - Each new answer, or the stage before it, is scrolled into view.
const root = document.documentElement;
const layout = () => document.getElementById("chat-layout");
const scroller = () => document.getElementById("conversation") || element;

function fitChat() {
  const box = layout();
  if (!box || !box.offsetParent) return; // another tab is open
  const top = box.getBoundingClientRect().top + window.scrollY;
  root.style.setProperty("--chat-top", `${Math.round(top)}px`);
}
window.addEventListener("resize", fitChat);
new ResizeObserver(fitChat).observe(document.body);
fitChat();

function scrollInside(target) {
  // Only the conversation scrolls: scrollIntoView would scroll the page, and the header with it.
  const box = scroller();
  box.scrollTop += target.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
}

function showLatest() {
  const turns = element.querySelectorAll(".msg.user");
  if (turns.length) scrollInside(turns[turns.length - 1]);
}
watch("value", () => requestAnimationFrame(showLatest));

function openSource(turn, n) {
  const quote = document.getElementById(`panel-${turn}-${n}`);
  const panel = quote && quote.closest(".panel");
  document.querySelectorAll(".chosen").forEach((e) => e.classList.remove("chosen"));
  const card = document.getElementById(`src-${turn}-${n}`);
  if (card) card.classList.add("chosen");
  if (panel && panel.offsetParent) {
    panel.querySelectorAll(".panel-card.open").forEach((e) => e.classList.remove("open"));
    quote.closest(".panel-card").classList.add("open");
    quote.classList.add("chosen");
    panel.classList.add("picked");
    panel.querySelector(".panel-title").textContent = `Source [${n}] of answer ${Number(turn) + 1}`;
    const scroller = document.getElementById("panel-column");
    if (scroller) scroller.scrollTop = 0;
  } else if (card) {
    scrollInside(card);
  }
}

element.addEventListener("click", (event) => {
  const cite = event.target.closest("a.cite");
  if (!cite) return;
  event.preventDefault();
  openSource(cite.dataset.turn, cite.dataset.n);
});

document.addEventListener("click", (event) => {
  const back = event.target.closest(".panel-back");
  if (!back) return;
  const panel = back.closest(".panel");
  panel.classList.remove("picked");
  panel.querySelector(".panel-title").textContent = "Sources of the latest answer";
  document.querySelectorAll(".chosen").forEach((e) => e.classList.remove("chosen"));
});
