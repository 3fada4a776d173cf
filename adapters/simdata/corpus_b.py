"""The topic corpus, second half: onboarding, devices, security, outages and privacy.

Joined after :mod:`adapters.simdata.corpus_a` by :mod:`adapters.simdata.topics`.
"""

from __future__ import annotations

from adapters.simdata.conversation import Topic

TOPICS_B: tuple[Topic, ...] = (
    Topic(
        "onboarding",
        ("request",),
        ("request",),
        6,
        ("onboarding", "new-starter"),
        (
            "New starter on Monday - accounts needed",
            "Leaver: please disable account on Friday",
            "Set up accounts and laptop for new hire",
        ),
        (
            "Hi,\n\nWe have a new starter, {person}, on Monday. They need:\n- email account\n- "
            "access to the Finance shared drive\n- a laptop with Office\n\nManager is me.\n\n"
            "Thanks,\n{first}",
            "Hello,\n\n{person} leaves on Friday. Please disable their account at 5pm and "
            "forward their email to me for 30 days.\n\n{first}",
        ),
        ("Could they also get access to the Sales Teams channel?", "All working, thanks."),
        (
            "Hi {first},\n\nAll set up: the account is created, the laptop is imaged and will "
            "be delivered on Friday. Temporary credentials will go to you by SMS on Monday "
            "at 8am.",
            "Hi {first},\n\nScheduled: the account will be disabled at 17:00 on Friday and "
            "mail forwarded to you until {date}.",
        ),
        ("Licence count now at 24/25 - warn them before next starter.",),
        ("Hi {first},\n\nEverything for the new starter is done. Closing this request.",),
        ("HR confirmation received.",),
        ("Created accounts and groups", "Imaged and shipped laptop"),
    ),
    Topic(
        "laptop",
        ("hardware",),
        ("incident",),
        5,
        ("hardware", "laptop"),
        (
            "Laptop asks for BitLocker recovery key",
            "Blue screen after docking",
            "Recovery key prompt after BIOS update",
        ),
        (
            "Hi,\n\nMy laptop is asking for a BitLocker recovery key after a BIOS update "
            "popped up this morning. I can't get past that screen.\n\n{first}",
            "Hello,\n\nMy laptop crashes with a blue screen (DRIVER_POWER_STATE_FAILURE) every "
            "time I plug it into the dock.\n\n{first}",
        ),
        ("Key worked, I'm in. Thank you!", "No crash since the update, thanks."),
        (
            "Hi {first},\n\nI'll read the 48-digit recovery key to you over the phone - could "
            "you call the service desk on 0117 496 0000 and quote ticket {ticket}?",
            "Hi {first},\n\nThis is a known issue with the dock firmware. We've pushed the "
            "updated dock driver; please reboot once while docked.",
        ),
        ("Recovery key retrieved from Entra ID for device {host}.",),
        ("Hi {first},\n\nGlad it's sorted. Closing the ticket.",),
        ("BIOS update triggers TPM reseal - suspend BitLocker before updates.",),
        ("Phone call to read recovery key", "Pushed dock firmware"),
    ),
    Topic(
        "backup",
        ("infrastructure",),
        ("incident",),
        4,
        ("backup", "monitoring"),
        (
            "Backup job failed for FS01",
            "Restore request: deleted folder on shared drive",
            "Backup alert: FS01-Nightly failed",
        ),
        (
            "Hi,\n\nWe got the alert email that last night's backup job for FS01 failed:\n\n"
            "  Job 'FS01-Nightly' finished with Failed: VSS snapshot timeout\n\nCan you check?\n\n"
            "{first}",
            "Hello,\n\nSomeone deleted the folder \\\\fs01\\Projects\\2024\\Tenders yesterday "
            "afternoon. Could you restore it from last night's backup?\n\nThanks,\n{first}",
        ),
        ("Thanks - tonight's job ran fine.", "Folder is back, brilliant, thank you."),
        (
            "Hi {first},\n\nThe VSS writer on FS01 was stuck. I've restarted the service and "
            "triggered a manual backup, which completed successfully.",
            "Hi {first},\n\nRestore is running; the folder is ~4 GB so it'll take about 20 "
            "minutes. It will be restored to its original location.",
        ),
        ("VSS writer 'SqlServerWriter' in failed state; restarted.",),
        ("Hi {first},\n\nThe restore completed. Closing this ticket.",),
        ("Backup repository at 81% - plan expansion.",),
        ("Restarted VSS writer and reran backup", "Restored folder from backup"),
    ),
    Topic(
        "phishing",
        ("security",),
        ("incident",),
        4,
        ("security", "phishing"),
        (
            "Suspicious email - possible phishing",
            "I clicked a link in a fake invoice email",
            "Fake bank email asking to verify a payee",
        ),
        (
            'Hi,\n\nI received an email claiming to be from our bank asking me to "verify the '
            "payee\" via a link. It looks dodgy. I haven't clicked anything. Forwarding it as an "
            "attachment.\n\n{first}",
            "Hello,\n\nI'm worried - I clicked a link in an invoice email and entered my "
            "password before realising it was fake. What should I do?\n\n{first}",
        ),
        ("Thanks for acting so quickly.", "Done - I've changed it and set up the app."),
        (
            "Hi {first},\n\nThank you for reporting this - it is phishing. We've blocked the "
            "sender domain and removed the message from all mailboxes.",
            "Hi {first},\n\nWe've reset your password, revoked all sessions and checked the "
            "sign-in logs: no successful sign-in from the attacker. Please set up the "
            "Authenticator app when prompted.",
        ),
        (
            "Sender domain registered 3 days ago. Blocked in tenant allow/block list.",
            "Sign-in from 185.220.x.x blocked by conditional access - good.",
        ),
        (
            "Hi {first},\n\nAll clear. Closing the ticket - please keep reporting anything "
            "suspicious.",
        ),
        ("Security incident log updated.", "Notify other users at this org?"),
        ("Purged phishing message tenant-wide", "Reviewed sign-in logs"),
    ),
    Topic(
        "mobile",
        ("technical",),
        ("bug",),
        4,
        ("mobile", "ios"),
        (
            "Mobile app crashes on launch",
            "Harbourline Mobile {version} crashes immediately",
            "App closes as soon as I open it",
        ),
        (
            "Hi,\n\nThe Harbourline Mobile app crashes immediately on launch since updating to "
            "{version}. Phone is on {os}. Reinstalling didn't help.\n\n{first}",
        ),
        ("Still crashing on the TestFlight build.", "New version works, thanks!"),
        (
            "Hi {first},\n\nThanks - we can see the crash reports. It affects devices with the "
            "system language set to one we don't ship translations for. A fix is in review with "
            "the App Store.",
        ),
        ("Crash in LocaleFormatter - null bundle for pt-PT.",),
        ("Hi {first},\n\nVersion 5.3.4 is live in the stores and fixes the crash. Closing.",),
        ("Crashlytics issue #4471.",),
        ("Analysed crash logs",),
    ),
    Topic(
        "feature",
        ("feedback", "technical"),
        ("feedback",),
        4,
        ("feature-request",),
        (
            "Feature request: dark mode in the portal",
            "Suggestion: bulk edit for assets",
            "Dark mode for late shifts?",
        ),
        (
            "Hi team,\n\nSmall suggestion: a dark mode in the portal would be great for those "
            "of us who work late. Many of our staff have asked.\n\nCheers,\n{first}",
            "Hello,\n\nIt would save us hours if we could edit the location of many assets at "
            "once instead of one by one.\n\n{first}",
        ),
        ("Thanks for passing it on.",),
        (
            "Hi {first},\n\nThanks for the suggestion! I've added it to our product feedback "
            "board with your use case. I can't promise a date, but it's been upvoted by other "
            "customers too.",
        ),
        ("Feedback board item FB-77.",),
        ("Hi {first},\n\nI'll close this ticket for now - we'll email you if it's scheduled.",),
        ("Logged on feedback board.",),
        ("Logged feature request",),
    ),
    Topic(
        "outage",
        ("infrastructure", "incident"),
        ("incident",),
        3,
        ("outage", "website"),
        (
            "Website down - 502 Bad Gateway",
            "Internet down at our office",
            "URGENT: website returning 502",
        ),
        (
            'URGENT\n\nOur public website {host} is returning "502 Bad Gateway" for everyone. '
            "It's our busiest day. Please call me on my mobile.\n\n{first}",
            "Hi,\n\nThe internet at our office has been down since 08:15. The router lights are "
            "orange.\n\n{first}",
        ),
        ("It's back up, thank you for the quick response.",),
        (
            "Hi {first},\n\nWe're on it. The web server's PHP-FPM pool is exhausted; we're "
            "restarting it and adding capacity. Next update in 15 minutes.",
            "Hi {first},\n\nThe ISP has confirmed a fibre cut in your area; they estimate repair "
            "by 13:00. We've switched you to the 4G backup link in the meantime.",
        ),
        (
            "PHP-FPM max_children=10 far too low for traffic; raised to 40.",
            "ISP fault ref OR-558231.",
        ),
        (
            "Hi {first},\n\nService is fully restored. We'll send a short incident report by "
            "tomorrow.",
        ),
        ("Major incident - post-mortem needed.",),
        ("Incident response and capacity change", "Liaised with ISP"),
    ),
    Topic(
        "mfa",
        ("access",),
        ("request",),
        4,
        ("mfa", "account"),
        (
            "Lost phone - can't do MFA",
            "Locked out of MFA after losing my phone",
            "Can't approve sign-in prompts (phone lost)",
        ),
        (
            "Hi,\n\nI lost my phone on the train and can't approve MFA prompts. I'm using a "
            "colleague's laptop to send this.\n\n{first}",
        ),
        ("Got a new phone now.", "All set, thanks."),
        (
            "Hi {first},\n\nI've removed the old device and issued a one-time temporary access "
            "pass valid for 8 hours. Please call us so we can verify your identity and give "
            "you the code.",
        ),
        ("Identity verified via manager {person}.",),
        ("Hi {first},\n\nYour new phone is registered. Closing this ticket.",),
        ("Old device removed from Entra ID.",),
        ("Reset MFA methods",),
    ),
    Topic(
        "permissions",
        ("access",),
        ("request",),
        4,
        ("permissions", "sharepoint"),
        (
            "Access to Finance shared drive",
            "Finance drive access please",
            "Access request: Finance-RW",
        ),
        (
            "Hi,\n\nCould you give me access to the Finance shared drive? {person} approved it "
            "(cc'd).\n\nThanks,\n{first}",
        ),
        ("Approved from my side.", "Works now, thank you."),
        (
            "Hi {first},\n\nI've added you to the Finance-RW group. It can take up to an hour "
            "to apply; signing out and back in speeds it up.",
        ),
        ("Approval received from data owner.",),
        ("Hi {first},\n\nGreat - closing this request.",),
        ("Group membership change logged.",),
        ("Updated group membership",),
    ),
    Topic(
        "certificate",
        ("infrastructure",),
        ("request", "incident"),
        2,
        ("ssl", "security"),
        ("SSL certificate expiring in 7 days", "Certificate for our site expires next week"),
        (
            "Hi,\n\nWe got a monitoring email saying the certificate for {host} expires in 7 "
            "days. Is renewal in hand?\n\n{first}",
        ),
        ("Thanks!",),
        (
            "Hi {first},\n\nYes - the renewal is in progress. The new certificate has been "
            "issued and will be installed tonight during the maintenance window.",
        ),
        ("ACME renewal failing due to CAA record - fixed DNS.",),
        ("Hi {first},\n\nThe new certificate is installed and valid until next year.",),
        ("Renewal tracked in change CHG-3310.",),
        ("Renewed and installed certificate",),
    ),
    Topic(
        "gdpr",
        ("privacy",),
        ("case",),
        2,
        ("gdpr", "privacy"),
        (
            "GDPR: what data do you hold on a former employee?",
            "Subject access request from former employee",
        ),
        (
            "Hello,\n\nA former employee has asked us to confirm what personal data you hold "
            "about them in your systems on our behalf. Could you help us respond within the "
            "statutory deadline?\n\n{first}",
        ),
        ("Thank you, that's what we needed.",),
        (
            "Hi {first},\n\nOf course. We hold: their mailbox (retained 90 days after leaving), "
            "device records and ticket history. We'll export these securely by {date}.",
        ),
        ("DPO informed. Deadline tracked.",),
        ("Hi {first},\n\nThe export has been shared via secure link. Closing this ticket.",),
        ("SAR deadline: 30 days from receipt.",),
        ("Compiled SAR export",),
    ),
)
