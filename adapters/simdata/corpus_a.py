"""The topic corpus, first half: access, e-mail, network, product and billing requests.

Split in two only to keep modules readable; :mod:`adapters.simdata.topics` joins the
halves in this order, and the order matters: a ticket's topic is drawn by its index.
"""

from __future__ import annotations

from adapters.simdata.conversation import Topic

TOPICS_A: tuple[Topic, ...] = (
    Topic(
        "password",
        ("access",),
        ("request", "case"),
        9,
        ("password-reset", "account"),
        (
            "Locked out of my account",
            "Password reset email never arrives",
            "Account locked after too many attempts",
        ),
        (
            "Hi,\n\nI've been locked out of my account since this morning. I reset my password "
            'yesterday and now it says "Your account has been temporarily locked". I have a '
            "client call at 2pm and need access to the shared drive before then.\n\nThanks,\n"
            "{first}",
            "Hello,\n\nThe password reset link never arrives. I've checked spam and junk. "
            "My username is {email}.\n\nCould you reset it manually please?\n\n{first}",
        ),
        (
            "Still locked out I'm afraid - the new temporary password gives the same error.",
            "That worked, thank you! One more thing: do I need to change it again on my phone?",
        ),
        (
            "Hi {first},\n\nI've unlocked the account and issued a temporary password by SMS to "
            "the number we hold on file. You'll be asked to choose a new one at first sign-in."
            "\n\nIf the lock comes back straight away, a device (often a phone) is still trying "
            "the old password - please update it there too.",
            "Hi {first},\n\nThanks for the details. The lock is caused by repeated failed "
            "sign-ins from an old device. Could you confirm whether you still use the iPad "
            "registered to your account?",
        ),
        (
            "Lockout source in the AD logs is {host} - old iPad with cached credentials.",
            "Checked identity: caller answered security questions correctly.",
        ),
        (
            "Hi {first},\n\nGlad you're back in. Yes - update the password in the Mail and "
            "Teams apps on your phone, otherwise the account will lock again. I'll close this "
            "ticket now; just reply if anything else comes up.",
        ),
        ("Customer verified by phone call-back.", "Repeat lockouts - consider MFA enrolment."),
        ("Unlocked account and reset password in AD", "Traced lockout source device"),
    ),
    Topic(
        "sso",
        ("incident",),
        ("incident", "bug"),
        6,
        ("sso", "saml"),
        (
            "SSO login fails with SAML error",
            "Single sign-on broken after certificate change",
            '"Invalid SAML response" when signing in to the portal',
        ),
        (
            "Hi support,\n\nSince about 09:40 none of our staff can sign in to the Harbourline "
            "Portal through SSO. Azure AD shows the sign-in as successful but the portal "
            "returns:\n\n  SAML2 error: InvalidSignature (audience mismatch)\n\nWe rotated our "
            "signing certificate last night. Version {version}.\n\nRegards,\n{first}",
        ),
        (
            "We uploaded the new certificate metadata but it still fails for about half of the "
            "users.",
            "Confirmed working for everyone now.",
        ),
        (
            "Hi {first},\n\nThanks for the detail. The portal still trusts the previous "
            "certificate thumbprint. Please upload the new federation metadata XML under "
            "Settings > Security > Single sign-on, or send it to us and we'll apply it.",
            "Hi {first},\n\nThe remaining failures come from cached metadata on our secondary "
            "node. I've cleared the cache and restarted the identity service; please ask one "
            "of the affected users to try again.",
        ),
        (
            "Second node had stale IdP metadata - flushed cache on idp-02.",
            "Looks like a regression in {version}: metadata refresh job not scheduled.",
        ),
        (
            "Hi {first},\n\nGreat to hear. Root cause: the new certificate was applied to the "
            "primary node only. We've raised an internal bug so metadata refreshes on both "
            "nodes. Closing this one.",
        ),
        ("Affects SAML customers only; OIDC fine.", "Bug raised: ENG-2291"),
        ("Reviewed SAML trace and IdP metadata", "Cleared metadata cache on idp-02"),
    ),
    Topic(
        "vpn",
        ("infrastructure", "incident"),
        ("incident",),
        8,
        ("vpn", "network"),
        (
            "VPN disconnects every 10 minutes",
            "Nobody at the office can connect to the VPN",
            "VPN error 809 after Windows update",
        ),
        (
            "Hi,\n\nSince the update on Tuesday my VPN drops roughly every ten minutes and I "
            "have to reconnect. The client shows:\n\n  The network connection between your "
            "computer and the VPN server was interrupted (error 809)\n\nI'm on {os} at home, "
            "fibre broadband.\n\nThanks,\n{first}",
            "Hello,\n\nNobody in our {org} office can connect to the VPN this morning. The "
            'client just spins on "Connecting..." then times out. Internet is fine.\n\n'
            "{first}",
        ),
        (
            "It dropped again at 14:12 and 14:25. Log attached.",
            "Connected all afternoon without a single drop - looks fixed!",
        ),
        (
            "Hi {first},\n\nThanks - error 809 usually means UDP 500/4500 is being blocked or "
            'NAT-T is failing. Could you try the SSL profile ("Harbourline-SSL") in the client '
            "and let us know if it stays up?",
            "Hi {first},\n\nWe've pushed an updated VPN profile that lowers the MTU to 1380 and "
            "enables dead-peer detection. Please disconnect, quit the client and reconnect so "
            "it picks up the new profile.",
        ),
        (
            "IKE SA rekey failing on vpn-gw-01 - DPD timeout 30s too aggressive.",
            "ISP router doing SIP ALG on the customer side, not our issue but workaround applied.",
        ),
        (
            "Hi {first},\n\nExcellent. For the record: the gateway was renegotiating every 10 "
            "minutes and your router dropped the rekey. The new profile fixes that. I'll close "
            "the ticket; reply here if it comes back.",
        ),
        ("Gateway logs show rekey storms at 10-minute intervals.",),
        ("Analysed gateway logs and pushed VPN profile", "Remote session to test MTU"),
    ),
    Topic(
        "email",
        ("incident", "general"),
        ("incident", "case"),
        8,
        ("email", "outlook"),
        (
            "Outlook not syncing since yesterday",
            "Emails stuck in outbox",
            "Outlook shows Disconnected",
        ),
        (
            "Hi,\n\nMy Outlook stopped syncing yesterday afternoon. New mail shows on my phone "
            'but not on the laptop, and the status bar says "Disconnected". I\'ve restarted '
            "twice.\n\n{first}",
            "Hello,\n\nEmails are sitting in my Outbox and won't send. Some have attachments, "
            "one about 18 MB. Outlook version is the one you installed last month.\n\n"
            "Kind regards,\n{first}",
        ),
        ("Still disconnected after trying that.", "All synced now, thanks very much."),
        (
            'Hi {first},\n\nCould you close Outlook and run "outlook.exe /resetnavpane" from '
            "the Start menu, then reopen it? If it still shows Disconnected, we'll rebuild your "
            "profile remotely.",
            "Hi {first},\n\nThe 18 MB message is over the 15 MB send limit and blocks the rest "
            "of the queue. Please move it to Drafts and share the file via OneDrive instead; the "
            "others will then send.",
        ),
        (
            "OST file 49.8 GB - near the 50 GB limit, needs archiving.",
            "Mailbox on the old database, migration batch 7 pending.",
        ),
        (
            "Hi {first},\n\nGreat, the profile rebuild did the trick. Your old cache file was "
            "almost full; we've enabled online archiving so it won't happen again soon.",
        ),
        ("Recreated Outlook profile remotely.",),
        ("Rebuilt Outlook profile", "Enabled online archive"),
    ),
    Topic(
        "printer",
        ("hardware",),
        ("incident",),
        6,
        ("printer", "onsite"),
        (
            "Printer on 2nd floor offline",
            "Print jobs stuck in the queue",
            "Ricoh on the 2nd floor shows offline",
        ),
        (
            "Hi,\n\nThe big printer on the 2nd floor shows as offline for everyone. The "
            "printer's own screen looks normal and it can photocopy.\n\n{first}",
            "Hello,\n\nNothing prints from my laptop since the weekend - jobs sit in the queue "
            'with status "Error - Printing". Others in the team can print.\n\nThanks,\n{first}',
        ),
        ("Restarted it as you said - still offline.", "Printing again, cheers!"),
        (
            "Hi {first},\n\nCould you power-cycle the printer (off at the switch for 30 "
            "seconds)? It may have picked up a new IP address from DHCP over the weekend.",
            "Hi {first},\n\nI've cleared the stuck spooler on your laptop and reinstalled the "
            "PCL6 driver. Please try printing a test page.",
        ),
        ("Printer grabbed a DHCP address; reserved 10.20.2.45 for its MAC.",),
        (
            "Hi {first},\n\nSorted - the printer had picked up a new address. We've reserved "
            "its address so this won't recur. Closing the ticket.",
        ),
        ("Added DHCP reservation for printer.",),
        ("Cleared print spooler remotely", "Configured DHCP reservation"),
    ),
    Topic(
        "performance",
        ("technical",),
        ("bug", "incident"),
        5,
        ("performance", "portal"),
        (
            "Portal dashboard very slow to load",
            "Dashboard takes 40 seconds to load",
            "Portal dashboard sluggish since the update",
        ),
        (
            "Hi,\n\nThe dashboard in the portal takes 40+ seconds to load since {date}. Other "
            "pages are OK. Browser is {browser}.\n\nRegards,\n{first}",
        ),
        ("Still slow this morning - about 35 seconds.", "Much better now, under 2 seconds."),
        (
            "Hi {first},\n\nThanks for reporting this. Could you open the browser developer "
            "tools (F12), go to Network, reload the dashboard and send us a screenshot of the "
            "slowest requests?",
            'Hi {first},\n\nWe found a slow query behind the "Open items by site" widget for '
            "accounts with many sites. A fix is being deployed this evening.",
        ),
        ("Query plan shows full scan on site_assets; missing index after {version} migration.",),
        (
            "Hi {first},\n\nThe index fix went out last night and the dashboard now loads in "
            "under two seconds for your account. Thanks for your patience.",
        ),
        ("Reproduced with customer's account in staging.",),
        ("Profiled dashboard queries", "Deployed index fix"),
    ),
    Topic(
        "export",
        ("technical",),
        ("bug",),
        5,
        ("regression", "reports"),
        (
            "CSV export broken after update to {version}",
            "Export produces an empty file",
            "Monthly asset report exports only the header row",
        ),
        (
            "Hello,\n\nSince the update to {version}, exporting the monthly asset report to CSV "
            "gives a file with only the header row. It worked in the previous version.\n\n"
            "Steps:\n- Reports > Assets\n- Filter: this month\n- Export > CSV\n\n{first}",
        ),
        ("Same with the XLSX export by the way.", "Confirmed fixed in the patch, thanks."),
        (
            "Hi {first},\n\nThanks for the clear steps - I can reproduce it. It only happens "
            "when a date filter is applied. Engineering are on it; a workaround is to export "
            "without the filter and filter in Excel.",
        ),
        ("Known issue in {version}: timezone offset breaks the export date range.",),
        (
            "Hi {first},\n\nPatch 5.3.3 fixes the export date range. It was rolled out to your "
            "tenant this morning. Closing this ticket.",
        ),
        ("Linked to known issue KI-118.",),
        ("Reproduced export bug",),
    ),
    Topic(
        "api",
        ("technical",),
        ("bug", "incident", "case"),
        5,
        ("api", "integrations"),
        (
            "API returns 500 on /v2/assets",
            "Webhook not firing for new tickets",
            "HTTP 500 from the assets API on page 3",
        ),
        (
            "Hi,\n\nOur integration calls GET /v2/assets?page=3 and gets HTTP 500 with body:\n\n"
            '  {{"error":"internal","request_id":"req_8f2c41"}}\n\nPages 1 and 2 work. '
            "Can you check the request id?\n\nThanks,\n{first}",
            "Hello,\n\nThe webhook we registered for ticket.created stopped firing on {date}. "
            "The endpoint is up and returns 200 to manual tests.\n\n{first}",
        ),
        ("Any update? Our nightly sync is failing.", "All good now - sync ran fine overnight."),
        (
            "Hi {first},\n\nRequest req_8f2c41 failed on an asset with a malformed serial "
            "number. We're fixing the serialiser; in the meantime page size 50 skips it.",
            "Hi {first},\n\nThe webhook was auto-disabled after 20 consecutive timeouts on "
            "{date}. I've re-enabled it; please make sure the endpoint answers within 10 "
            "seconds.",
        ),
        (
            "Serial contains a NUL byte - import from their old RMM.",
            "Webhook disabled by circuit breaker; delivery log shows 504s from their side.",
        ),
        (
            "Hi {first},\n\nThe fix is live and page 3 now returns normally. Closing, but do "
            "reopen if the sync shows anything odd.",
        ),
        ("Check request logs with request id.",),
        ("Investigated API logs", "Re-enabled webhook and replayed deliveries"),
    ),
    Topic(
        "invoice",
        ("billing",),
        ("billing", "case"),
        7,
        ("billing", "invoice"),
        (
            "Charged twice for {month} invoice",
            "Invoice {invoice} amount looks wrong",
            "Duplicate payment taken for {invoice}",
        ),
        (
            "Hello,\n\nWe have been charged twice for invoice {invoice} - two debits of "
            "£{amount} on the same day. Can you refund one please?\n\nKind regards,\n{first}\n"
            "Finance, {org}",
            "Hi,\n\nInvoice {invoice} shows 25 seats but we reduced to 18 last month. Please "
            "send a corrected invoice.\n\nThanks,\n{first}",
        ),
        ("Thanks - when should we expect the refund?", "Received, thank you."),
        (
            "Hi {first},\n\nApologies for this. I can see the duplicate card payment; the "
            "refund of £{amount} has been issued and should reach your account in 3-5 working "
            "days.",
            "Hi {first},\n\nYou're right, the seat change was not applied to the subscription. "
            "I've corrected it and attached a credit note; the next invoice will reflect 18 "
            "seats.",
        ),
        (
            "Payment gateway retried after a timeout - duplicate capture.",
            "Seat reduction request was in ticket from last month but never actioned.",
        ),
        (
            "Hi {first},\n\nThe credit note has been applied. Closing this ticket - thanks for "
            "flagging it.",
        ),
        ("Refund approved by Rahul.", "Check other accounts hit by the gateway retry."),
        ("Reconciled payments with gateway report",),
    ),
    Topic(
        "plan",
        ("billing",),
        ("request", "billing"),
        4,
        ("billing", "upgrade"),
        ("Add 5 more user licences", "Switch to annual billing", "Quote for extra licences"),
        (
            "Hi,\n\nWe're growing and would like to add 5 more user licences from next month. "
            "Could you send a quote?\n\nThanks,\n{first}",
            "Hello,\n\nWe'd like to switch from monthly to annual billing to get the discount. "
            "What's the process?\n\n{first}",
        ),
        ("Quote approved - please go ahead.", "Thanks, all sorted."),
        (
            "Hi {first},\n\nHappy to help. Five additional licences on your current plan come "
            "to £{amount} per month, pro-rated for this month. Shall I apply them?",
            "Hi {first},\n\nSwitching to annual gives 15% off. I've prepared the change to "
            "start at your next renewal; please confirm and I'll apply it.",
        ),
        ("Customer eligible for partner discount as well.",),
        (
            "Hi {first},\n\nDone - the new licences are active and your next invoice will show "
            "the change.",
        ),
        ("Quote sent.",),
        ("Prepared quote",),
    ),
    Topic(
        "cancel",
        ("billing",),
        ("billing",),
        2,
        ("billing", "churn-risk"),
        ("Cancel our subscription", "Refund for unused months"),
        (
            "Hello,\n\nWe've decided to move our IT in-house and would like to cancel at the end "
            "of the current term. Please confirm the notice period and any refund for prepaid "
            "months.\n\nRegards,\n{first}",
        ),
        ("Understood. Please proceed.",),
        (
            "Hi {first},\n\nSorry to see you go. Your contract has a 30-day notice period, so "
            "the last billing date is {date}. Prepaid months after that will be refunded.",
        ),
        ("Account manager notified - retention call scheduled.",),
        (
            "Hi {first},\n\nThe cancellation is confirmed and the refund for the unused months "
            "has been processed.",
        ),
        ("Churn risk flagged to account management.",),
        ("Processed cancellation",),
    ),
)
