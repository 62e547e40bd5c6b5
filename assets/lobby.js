/* Call display: the gong for a new call and the one-time "Ton an" that unlocks the browser's audio.
   Browsers play sound only after a click on the page (a kiosk Chromium started with
   --autoplay-policy=no-user-gesture-required needs none). The click is handled here, natively, so the
   play() runs inside the user's gesture. window.lobbyGongPlays counts the gongs (the e2e test reads it). */
window.lobbyGongPlays = window.lobbyGongPlays || 0;

window.lobbyGong = function () {
  window.lobbyGongPlays += 1;
  const audio = document.getElementById("lobby-gong");
  if (!audio) return;
  audio.currentTime = 0;
  const playing = audio.play();
  if (playing && playing.catch) playing.catch(function () { /* no click yet: silent until "Ton an" */ });
};

document.addEventListener("click", function (event) {
  if (!event.target.closest || !event.target.closest("#sound-on")) return;
  const audio = document.getElementById("lobby-gong");
  if (!audio) return;
  audio.muted = true;
  const playing = audio.play();
  const unmute = function () { audio.pause(); audio.currentTime = 0; audio.muted = false; };
  if (playing && playing.then) playing.then(unmute, unmute); else unmute();
}, true);
