/* Opens a Jitsi meeting through the IFrame API. Settings come from data-* attributes
   on #jitsi-embed (CSP allows no inline script); the token never leaves this page. */
(function () {
    "use strict";
    var host = document.getElementById("jitsi-embed");
    if (!host || typeof window.JitsiMeetExternalAPI !== "function") {
        return;
    }
    var data = host.dataset;
    var options = {
        roomName: data.room,
        parentNode: host,
        width: "100%",
        height: "100%",
        userInfo: { displayName: data.displayName },
        configOverwrite: {
            prejoinConfig: { enabled: true },
            // The name comes from the invitation (and the token): nobody picks another.
            readOnlyName: true,
            // No requests from the room to third parties (Gravatar avatars derived
            // from email addresses, call statistics services, ...).
            disableThirdPartyRequests: true,
            gravatar: { disabled: true }
        }
    };
    if (data.email) {
        options.userInfo.email = data.email;
    }
    if (data.jwt) {
        options.jwt = data.jwt;
    }
    var api = new window.JitsiMeetExternalAPI(data.domain, options);
    if (data.moderator === "true" && data.lobby === "true") {
        // The lobby is a room setting only a moderator can switch on; guests then
        // wait there until the organizer admits them.
        api.addListener("videoConferenceJoined", function () {
            api.executeCommand("toggleLobby", true);
        });
    }
    api.addListener("readyToClose", function () {
        if (data.leaveUrl) {
            window.location.assign(data.leaveUrl);
        }
    });
})();
