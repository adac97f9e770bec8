// A stand-in for connect.facebook.net/en_US/sdk.js: FB.init, FB.login (popup + WA_EMBEDDED_SIGNUP
// messages from the sandbox's origin), and the few no-op helpers pages commonly call.
import { scriptJson } from '../common/html';
import { DEFAULT_GRAPH_API_VERSION } from '@waba/meta-graph';
import { SDK_RESULT_MESSAGE_TYPE } from './consent-pages';

export function sdkScript(sandboxOrigin: string): string {
  return `(function () {
  'use strict';
  var SANDBOX_ORIGIN = ${scriptJson(sandboxOrigin)};
  var settings = { version: ${scriptJson(DEFAULT_GRAPH_API_VERSION)} };
  function login(callback, options) {
    options = options || {};
    if (!settings.appId) { throw new Error('FB.login() called before FB.init().'); }
    var query = new URLSearchParams({
      client_id: String(settings.appId),
      response_type: options.response_type || 'token',
      display: 'popup',
      sdk: 'sandbox',
      origin: window.location.origin
    });
    if (options.config_id) query.set('config_id', String(options.config_id));
    if (options.scope) query.set('scope', String(options.scope));
    if (options.override_default_response_type) query.set('override_default_response_type', 'true');
    if (options.extras) query.set('extras', JSON.stringify(options.extras));
    var popup = window.open(SANDBOX_ORIGIN + '/' + settings.version + '/dialog/oauth?' + query.toString(),
      'sandbox_fb_login', 'width=620,height=760');
    var done = false;
    function finish(response) {
      if (done) return;
      done = true;
      window.removeEventListener('message', onMessage);
      clearInterval(watcher);
      if (typeof callback === 'function') callback(response);
    }
    function onMessage(event) {
      if (event.origin !== SANDBOX_ORIGIN) return;
      var data;
      try { data = typeof event.data === 'string' ? JSON.parse(event.data) : event.data; } catch (e) { return; }
      if (data && data.type === ${scriptJson(SDK_RESULT_MESSAGE_TYPE)}) finish(data.response);
    }
    window.addEventListener('message', onMessage);
    // A popup closed without a result (blocked, or closed by hand) ends like Meta's: no authResponse.
    var watcher = setInterval(function () {
      if (!popup || popup.closed) setTimeout(function () { finish({ authResponse: null, status: 'unknown' }); }, 500);
    }, 500);
  }
  window.FB = {
    init: function (options) {
      options = options || {};
      settings.appId = options.appId;
      if (options.version) settings.version = options.version;
    },
    login: login,
    getLoginStatus: function (callback) { callback({ authResponse: null, status: 'unknown' }); },
    logout: function (callback) { if (callback) callback({ authResponse: null, status: 'unknown' }); },
    AppEvents: { logPageView: function () {} },
    XFBML: { parse: function () {} }
  };
  if (typeof window.fbAsyncInit === 'function') setTimeout(window.fbAsyncInit, 0);
})();
`;
}
