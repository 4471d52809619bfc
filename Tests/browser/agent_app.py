#!/usr/bin/env python3
"""The agent app in a real browser: headless Chromium from Debian, driven through its WebDriver (Selenium).

Started by the Swift suite BrowserFlowTests, which runs the fleet side (gateway, the real escalation worker, the real
payout handler) and the customer side. This script is the gig agent on a phone-sized screen: sign in, go online,
receive the offer, accept, read the customer's message, answer it, resolve, see the earning. Screenshots go to
SCREENSHOTS (offer, conversation, earnings). Every step prints PASS or FAIL; any FAIL exits 1. A missing browser or
driver is a failure, never a skip.

Environment: GATEWAY_URL, AGENT_ID, AGENT_PASSWORD, CUSTOMER_MARKER (a text the customer's follow-up contains),
ANSWER_TEXT, SCREENSHOTS (folder), CHROMIUM (default /usr/bin/chromium), CHROMEDRIVER (default /usr/bin/chromedriver).
"""
import os
import sys
import time

failures = []


def step(name, ok, detail=""):
    print(("PASS " if ok else "FAIL ") + name + (": " + detail if detail else ""), flush=True)
    if not ok:
        failures.append(name)
    return ok


def main():
    url = os.environ["GATEWAY_URL"].rstrip("/")
    agent = os.environ["AGENT_ID"]
    password = os.environ["AGENT_PASSWORD"]
    marker = os.environ["CUSTOMER_MARKER"]
    answer = os.environ["ANSWER_TEXT"]
    shots = os.environ.get("SCREENSHOTS", ".run/screenshots")
    os.makedirs(shots, exist_ok=True)
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    driver_path = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    for path in (chromium, driver_path):
        if not os.path.exists(path):
            step("browser installed", False, path + " is missing (apt-get install chromium chromium-driver)")
            return 1
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=420,860"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(driver_path), options=options)
    wait = WebDriverWait(browser, 30)
    try:
        browser.get(url + "/")
        step("signed out goes to sign-in", browser.current_url.endswith("/signin"), browser.current_url)
        browser.find_element(By.ID, "agent_id").send_keys(agent)
        browser.find_element(By.ID, "password").send_keys("wrong password")
        browser.find_element(By.ID, "signin").click()
        error = wait.until(EC.presence_of_element_located((By.ID, "signin-error")))
        step("wrong password refused", "Wrong agent id or password" in error.text, error.text)
        browser.find_element(By.ID, "password").clear()
        browser.find_element(By.ID, "password").send_keys(password)
        browser.find_element(By.ID, "signin").click()
        wait.until(EC.presence_of_element_located((By.ID, "app")))
        wait.until(lambda b: b.find_element(By.ID, "connection").get_attribute("data-state") == "connected")
        step("signed in, WebSocket connected", True)

        browser.find_element(By.ID, "go-online").click()
        wait.until(lambda b: b.find_element(By.ID, "presence").get_attribute("data-state") == "online")
        step("online", True, browser.find_element(By.ID, "presence").text)

        offer = WebDriverWait(browser, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#offers .offer")))
        countdown = offer.find_element(By.CLASS_NAME, "countdown").text
        step("offer with a countdown", "left to accept" in countdown, countdown)
        step("offer shows the surge", "×" in offer.find_element(By.CLASS_NAME, "surge").text, offer.find_element(By.CLASS_NAME, "surge").text)
        pays = offer.find_elements(By.CLASS_NAME, "pay")
        step("offer shows its pay (offer.v1 pay)", bool(pays) and "Pays" in pays[0].text, pays[0].text if pays else "no pay in the offer")
        previews = offer.find_elements(By.CLASS_NAME, "preview")
        step("offer shows the preview (offer.v1 preview)", bool(previews) and previews[0].text != "", previews[0].text if previews else "no preview")
        browser.save_screenshot(os.path.join(shots, "agent-app-offer.png"))
        offer.find_element(By.CLASS_NAME, "accept").click()

        conversation = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#conversations .conversation")))
        step("conversation opens after accept", True, conversation.get_attribute("data-conversation-id"))
        try:
            WebDriverWait(browser, 30).until(
                lambda b: any(marker in li.text for li in b.find_elements(By.CSS_SELECTOR, ".conversation .transcript li[data-author='customer']"))
            )
            step("customer's message shown (customer_message.v1)", True)
        except Exception:
            step("customer's message shown (customer_message.v1)", False, "no customer line with the marker within 30 s")
        # Shown once: the live customer_message.v1 and the transcript read on (re)connect name the same inquiry.
        time.sleep(1)
        shown = [li for li in browser.find_elements(By.CSS_SELECTOR, ".conversation .transcript li[data-author='customer']") if marker in li.text]
        step("customer's message shown once", len(shown) == 1, f"{len(shown)} lines")
        pwned = browser.execute_script("return window.__pwned === undefined ? null : window.__pwned;")
        step("<script> in a customer's text did not run", pwned is None, str(pwned))
        lines = browser.find_elements(By.CSS_SELECTOR, ".conversation .transcript li")
        if any("<script>" in li.text for li in lines):
            step("<script> shown as text", True)

        text = conversation.find_element(By.CLASS_NAME, "composer-text")
        text.send_keys(answer)
        conversation.find_element(By.CLASS_NAME, "send").click()
        wait.until(lambda b: any(answer in li.text for li in b.find_elements(By.CSS_SELECTOR, ".conversation .transcript li[data-author='agent']")))
        step("answer sent and shown", True)
        browser.save_screenshot(os.path.join(shots, "agent-app-conversation.png"))

        conversation.find_element(By.CSS_SELECTOR, "details.actions summary").click()
        conversation.find_element(By.CLASS_NAME, "resolve").click()
        wait.until(lambda b: "Resolved" in b.find_element(By.CSS_SELECTOR, ".conversation .conversation-status").text)
        step("resolved", True)

        deadline = time.time() + 45
        found = False
        while time.time() < deadline and not found:
            browser.get(url + "/earnings")
            found = bool(browser.find_elements(By.CSS_SELECTOR, "#earnings-table tbody tr"))
            if not found:
                time.sleep(1)
        step("earning shown with its components", found, browser.find_element(By.ID, "earnings-today").text if found else "no earning within 45 s")
        browser.save_screenshot(os.path.join(shots, "agent-app-earnings.png"))

        # Keyboard and labels: every form control has a label.
        browser.get(url + "/")
        wait.until(lambda b: b.find_element(By.ID, "connection").get_attribute("data-state") == "connected")
        unlabeled = browser.execute_script(
            "return [...document.querySelectorAll('input, select, textarea')].filter(e => !(e.labels && e.labels.length)).length;"
        )
        step("every control is labelled", unlabeled == 0, str(unlabeled))
        browser.find_element(By.CSS_SELECTOR, "form[action='/signout'] button").click()
        wait.until(lambda b: b.current_url.endswith("/signin"))
        browser.get(url + "/")
        step("signed out", browser.current_url.endswith("/signin"), browser.current_url)
    except Exception as exc:  # a step that never happened is a failure with its reason
        step("unexpected error", False, repr(exc)[:500])
        try:
            browser.save_screenshot(os.path.join(shots, "agent-app-failure.png"))
        except Exception:
            pass
    finally:
        browser.quit()
    print("browser test: %d failure(s): %s" % (len(failures), ", ".join(failures) or "none"), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
