/// The app's only stylesheet and script, served by the gateway itself (no build step, no CDN).
enum Assets {}
